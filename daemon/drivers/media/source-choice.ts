import type { Selection, VideoSource } from './worker-protocol.js';

// Which source belongs on air (pure). Auto: primary, else backup, else slate. A manual pick of a
// camera holds while it has a picture; while it has none the slate covers (never a frozen frame).

export interface Alive {
  primary: boolean;
  backup: boolean;
}

export function chooseSource(selection: Selection, alive: Alive): VideoSource {
  if (selection === 'slate') return 'slate';
  if (selection === 'primary' || selection === 'backup') return alive[selection] ? selection : 'slate';
  if (alive.primary) return 'primary';
  if (alive.backup) return 'backup';
  return 'slate';
}

/** Why the source changed, for the `source` message and the log. */
export function switchReason(selection: Selection, from: VideoSource, to: VideoSource, alive: Alive): string {
  if (selection !== 'auto') return to === selection ? `manual: ${selection}` : `manual ${selection} has no picture`;
  if (from !== 'slate' && !alive[from]) return `${from} lost`;
  if (to !== 'slate') return `${to} available`;
  return 'no camera available';
}
