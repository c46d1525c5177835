// Keeps the RTSP picture's view in step with the PTZ model: pushes the position after every command
// and polls while the model is moving, so the picture pans smoothly instead of jumping to the end.
import type { PtzModel, Vec } from '../ptz-model/ptz-model.js';

/** What the sim needs from the picture source (simulators/rtsp-picture/). */
export interface PictureSink {
  rtspUri: string;
  snapshotUri?: string;
  setView(position: { pan: number; tilt: number; zoom: number }): void;
  /** The stream's next frame is an IDR (SetSynchronizationPoint); rtsp-picture sends GstForceKeyUnit to its encoder. */
  forceKeyframe?(): void;
}

export const POLL_MS = 80;

export function createPictureSync(model: PtzModel, picture: PictureSink | undefined, pollMs = POLL_MS) {
  let timer: NodeJS.Timeout | undefined;
  let last: Vec | undefined;

  const push = () => {
    if (!picture) return;
    const p = model.position();
    if (last && last.pan === p.pan && last.tilt === p.tilt && last.zoom === p.zoom) return;
    last = p;
    try {
      picture.setView(p);
    } catch {
      /* a broken picture must not break PTZ control */
    }
  };

  const tick = () => {
    push();
    const m = model.moving();
    if (!m.panTilt && !m.zoom && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };

  return {
    /** Call after any command that may change the position. */
    kick(): void {
      if (!picture) return;
      tick();
      const m = model.moving();
      if ((m.panTilt || m.zoom) && !timer) timer = setInterval(tick, pollMs);
    },
    stop(): void {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
    /** Forget the last pushed view so the next kick pushes again (e.g. after restart). */
    reset(): void {
      last = undefined;
    },
  };
}
