import { describe, expect, it } from 'vitest';
import type { AudioFollowState } from '../../common/contracts/daemon-api/audio-follow.js';
import { followText, toggleText } from './audio-follow.js';

const state = (change: Partial<AudioFollowState>): AudioFollowState => ({
  mode: 'auto',
  camera: 'cam1',
  pausedUntil: null,
  last: null,
  talking: [],
  channels: [],
  moves: 0,
  health: { state: 'online', since: '2026-12-03T05:00:00Z', reconnects: 0 },
  ...change,
});

describe('kiosk: audio-follow mode', () => {
  it('says which mode is on, Vietnamese first', () => {
    expect(followText(state({}))).toEqual({
      level: 'auto',
      text: { vi: 'Camera tự động theo người nói', en: 'Camera follows the speaker' },
    });
    expect(followText(state({ mode: 'off' }))?.text.vi).toBe('Camera: điều khiển tay');
    const now = Date.parse('2026-12-03T05:00:00Z');
    expect(followText(state({ mode: 'paused', pausedUntil: '2026-12-03T05:00:24.2Z' }), now)).toEqual({
      level: 'paused',
      text: { vi: 'Camera tự động: tạm dừng sau khi chỉnh tay (còn 25 giây)', en: 'Auto camera paused after a manual move (25 s left)' },
    });
    expect(followText(state({ health: { state: 'offline', since: '', reconnects: 0, lastError: 'no meter' } }))?.level).toBe('fault');
  });

  it('shows nothing where the room has no audio-follow (config) or the daemon has no route', () => {
    expect(followText(state({ mode: 'disabled', camera: null }))).toBeNull();
    expect(followText(null)).toBeNull();
  });

  it('the switch names what pressing it does', () => {
    expect(toggleText(state({ mode: 'off' })).vi).toBe('Bật camera tự động');
    expect(toggleText(state({ mode: 'paused' })).vi).toBe('Tắt camera tự động');
  });
});
