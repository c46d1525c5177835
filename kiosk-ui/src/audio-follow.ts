import type { AudioFollowState } from '../../common/contracts/daemon-api/audio-follow.js';
import { ApiError, type Api } from './api.js';
import { bi, setBi, type Bi } from './i18n.js';
import { attempt } from './status.js';

// The audio-follow camera on the kiosk: which mode is on (footer, everyone sees it) and, in the officer
// controls, the switch. A manual preset or nudge pauses following by itself (the daemon sees the move).

export type FollowLevel = 'auto' | 'paused' | 'off' | 'fault';

/** What the footer says; null = nothing to show (off in this room's config, or a daemon without the route). */
export function followText(s: AudioFollowState | null, now = Date.now()): { level: FollowLevel; text: Bi } | null {
  if (!s || s.mode === 'disabled') return null;
  if (s.mode === 'off') return { level: 'off', text: bi('Camera: điều khiển tay', 'Camera: manual control') };
  if (s.mode === 'paused') {
    const left = Math.max(0, Math.ceil((Date.parse(s.pausedUntil ?? '') - now) / 1000)) || 0;
    return {
      level: 'paused',
      text: bi(`Camera tự động: tạm dừng sau khi chỉnh tay (còn ${left} giây)`, `Auto camera paused after a manual move (${left} s left)`),
    };
  }
  if (s.health.state === 'offline')
    return { level: 'fault', text: bi('Camera tự động: không nhận được mức âm micro', 'Auto camera: no microphone levels') };
  return { level: 'auto', text: bi('Camera tự động theo người nói', 'Camera follows the speaker') };
}

/** The switch's label: what pressing it does. */
export const toggleText = (s: AudioFollowState): Bi =>
  s.mode === 'off' ? bi('Bật camera tự động', 'Turn auto camera on') : bi('Tắt camera tự động', 'Turn auto camera off');

export function createAudioFollow(api: Api) {
  const $ = (id: string) => document.getElementById(id)!;
  let state: AudioFollowState | null = null;
  let missing = false; // an older daemon without /audio-follow: stop asking

  function render() {
    const shown = followText(state);
    const footer = $('follow-mode');
    footer.hidden = !shown;
    if (shown) (footer.dataset.level = shown.level), setBi($('follow-text'), shown.text);
    const toggle = $('follow-toggle') as HTMLButtonElement;
    toggle.hidden = !state || state.mode === 'disabled';
    if (state && !toggle.hidden) toggle.setAttribute('aria-pressed', String(state.mode !== 'off')), setBi(toggle, toggleText(state));
  }

  $('follow-toggle').addEventListener('click', () => {
    if (!state) return;
    const auto = state.mode === 'off';
    void attempt(async () => (state = await api.put<AudioFollowState>('/audio-follow', { auto })), bi('Camera', 'Camera')).then(render);
  });

  return {
    async refresh() {
      if (missing) return;
      try {
        state = await api.get<AudioFollowState>('/audio-follow', 1800);
      } catch (err) {
        if (err instanceof ApiError && err.status === 404) (missing = true), (state = null);
        // otherwise keep the last word: one missed poll does not change the mode
      }
      render();
    },
  };
}
