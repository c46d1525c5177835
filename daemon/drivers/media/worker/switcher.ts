import type { Logger } from '../../../../common/log.js';
import { chooseSource, switchReason } from '../source-choice.js';
import type { Selection, VideoSource } from '../worker-protocol.js';
import type { Ingest } from './ingest.js';
import type { Outputs } from './outputs.js';

// Puts the right source on air. The slate goes on at once (with a forced keyframe). A camera goes on
// at the end of its GOP so its next IDR is the first frame receivers get (passthrough cannot force
// one); transcoded cameras get a forced keyframe and switch at once. A dead source on air is
// replaced by the slate immediately while the next camera waits for its GOP boundary.

const MAX_GOP_WAIT_MS = 2500; // unknown or irregular GOP: switch anyway

export interface SwitcherDeps {
  outputs: Outputs;
  cameras: { primary?: Ingest; backup?: Ingest };
  log: Logger;
  onSwitch(source: VideoSource, reason: string): void;
}

export function createSwitcher(d: SwitcherDeps) {
  let selection: Selection = 'auto';
  let onAir: VideoSource = 'slate';
  let pending: { source: 'primary' | 'backup'; reason: string; deadline: number } | undefined;

  const alive = () => ({ primary: !!d.cameras.primary?.alive, backup: !!d.cameras.backup?.alive });

  function put(source: VideoSource, reason: string): void {
    pending = undefined;
    if (source === onAir) return;
    d.outputs.select(source);
    onAir = source;
    d.log.info({ source, reason }, 'source on air');
    d.onSwitch(source, reason);
  }

  /** Re-evaluates after any liveness change, selection change, or tick. Monotonic: a wall-clock step moves no deadline. */
  function evaluate(now = performance.now()): void {
    const a = alive();
    const target = chooseSource(selection, a);
    if (target === onAir) return void (pending = undefined);
    const reason = switchReason(selection, onAir, target, a);
    if (target === 'slate') return put('slate', reason);
    const cam = d.cameras[target];
    if (cam?.forceKeyframe()) return put(target, reason);
    if (onAir !== 'slate' && !a[onAir]) put('slate', switchReason(selection, onAir, 'slate', a));
    if (pending?.source !== target) pending = { source: target, reason, deadline: now + MAX_GOP_WAIT_MS };
    else if (now >= pending.deadline) put(target, `${reason} (GOP boundary not seen)`);
  }

  return {
    evaluate,
    /** From an ingest, after each access unit: the pending switch happens just before its next IDR. */
    onFrame(source: 'primary' | 'backup'): void {
      const cam = d.cameras[source];
      if (pending?.source === source && cam?.alive && cam.idrDue()) put(source, pending.reason);
    },
    select(s: Selection): void {
      selection = s;
      pending = undefined;
      evaluate();
    },
    /**
     * Receiver asked for a keyframe (PLI/FIR): the slate and transcoded cameras can here; a passthrough camera is
     * asked by the daemon through its driver (ONVIF SetSynchronizationPoint, create-media.ts), not by this worker.
     */
    keyframe(): 'forced' | 'camera-gop' {
      if (onAir === 'slate') return (d.outputs.slateKeyframe(), 'forced');
      return d.cameras[onAir]?.forceKeyframe() ? 'forced' : 'camera-gop';
    },
    get onAir() {
      return onAir;
    },
    get selection() {
      return selection;
    },
  };
}
