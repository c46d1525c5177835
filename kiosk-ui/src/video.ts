import { isOfficer } from './state.js';
import type { Participant } from './types.js';

// Puts the bridge's streams on screen: the first officer large in #officer, everyone else (other
// rooms, further officers) small in #others, this room's own picture small and mirrored in #self.

export interface Media {
  participant: string;
  name: string;
  self: boolean;
  stream: MediaStream;
}

let blockedAudio = false;

async function play(video: HTMLVideoElement) {
  try {
    await video.play();
  } catch {
    // Autoplay policy without a touch yet: show the picture muted; the first touch turns sound on.
    if (!video.muted) blockedAudio = true;
    video.muted = true;
    await video.play().catch(() => undefined);
  }
}

/** The first touch anywhere lifts an autoplay block on the remote sound. */
export function unmuteOnTouch() {
  document.addEventListener(
    'pointerdown',
    () => {
      if (!blockedAudio) return;
      blockedAudio = false;
      for (const v of document.querySelectorAll<HTMLVideoElement>('video.remote')) (v.muted = false), void play(v);
    },
    { capture: true },
  );
}

function figure(m: Media, big: boolean): HTMLElement {
  const fig = document.createElement('figure');
  fig.className = big ? 'tile big' : 'tile';
  fig.dataset.participant = m.participant;
  const video = document.createElement('video');
  video.className = 'remote';
  video.dataset.participant = m.participant;
  video.autoplay = true;
  video.playsInline = true;
  video.srcObject = m.stream;
  const cap = document.createElement('figcaption');
  cap.textContent = m.name;
  fig.append(video, cap);
  void play(video);
  return fig;
}

export function renderMedia(media: Media[], known: Participant[]) {
  const officerBox = document.getElementById('officer')!;
  const others = document.getElementById('others')!;
  const selfVideo = document.getElementById('self-video') as HTMLVideoElement;
  const remote = media.filter((m) => !m.self);
  const officers = remote.filter((m) => isOfficer(m.participant, known));
  const main = officers[0];
  const rest = remote.filter((m) => m !== main);

  officerBox.querySelector('figure.big')?.remove();
  if (main) officerBox.prepend(figure(main, true));
  officerBox.classList.toggle('empty', !main);
  others.replaceChildren(...rest.map((m) => figure(m, false)));
  others.dataset.count = String(rest.length);

  const self = media.find((m) => m.self);
  selfVideo.srcObject = self?.stream ?? null;
  if (self) void play(selfVideo);
}

/** Which participant is in the big picture (for "officer video flowing"). */
export const mainParticipant = (): string | null => document.querySelector<HTMLElement>('#officer figure.big')?.dataset.participant ?? null;
