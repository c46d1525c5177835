// The camera's GOP, learnt from the IDRs it sends, so the switcher can cut to it on a GOP boundary (idrDue)
// instead of asking for a keyframe. A sync point asked of the camera (ONVIF SetSynchronizationPoint, issue 15
// target 4) makes one short GOP: a shorter interval is taken only when seen twice in a row, so one early IDR
// does not make the switcher wait for a boundary the camera will not keep.
export interface GopClock {
  /** One access unit from the camera: `idr` when it holds an IDR. */
  frame(idr: boolean): void;
  /** The pipeline was rebuilt: frames counted from the next IDR on; the GOP learnt is kept. */
  restart(): void;
  /** Frames between IDRs as learnt, 0 until two IDRs were seen. */
  readonly length: number;
  /** True when, going by the learnt GOP, the next access unit should be an IDR. */
  idrDue(): boolean;
}

export function createGopClock(): GopClock {
  let sinceIdr = -1; // frames since the last IDR; -1 until the first one
  let length = 0;
  let lastInterval = 0;
  return {
    frame(idr) {
      if (!idr) {
        if (sinceIdr >= 0) sinceIdr++;
        return;
      }
      const interval = sinceIdr + 1;
      if (sinceIdr > 0 && (interval >= length || interval === lastInterval)) length = interval;
      if (sinceIdr > 0) lastInterval = interval;
      sinceIdr = 0;
    },
    restart() {
      sinceIdr = -1;
    },
    get length() {
      return length;
    },
    idrDue() {
      return length > 0 && sinceIdr >= 0 && sinceIdr + 1 >= length;
    },
  };
}
