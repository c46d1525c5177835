// What the live picture becomes for a given link (issue 12 item 2). The gateway measures what the hub
// receives (TWCC) and asks for a video bitrate; null means the link carries the camera's picture as it is.
// Pure: the worker applies the result to the live branch of the video main pipeline (pipelines.ts).

/** Below this the picture would be a slide show at 640x360: the encoder never goes lower. */
export const MIN_LIVE_KBPS = 120;
/** Above this the adapted picture gains nothing at 640x360. */
export const MAX_LIVE_KBPS = 1500;

export interface LiveEncoding {
  /** x264 bitrate, kbit/s. */
  kbps: number;
  /** Frame rate cap: fewer, sharper frames when the link is narrow (targets: ≥ 15 fps at 1 Mbit/s, ≥ 8 at 512 kbit/s). */
  fps: number;
}

export function liveEncoding(kbps: number): LiveEncoding {
  const k = Math.round(Math.min(MAX_LIVE_KBPS, Math.max(MIN_LIVE_KBPS, kbps)));
  return { kbps: k, fps: k >= 450 ? 25 : k >= 250 ? 15 : 10 };
}
