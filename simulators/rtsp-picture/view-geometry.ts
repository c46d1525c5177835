// Where the simulated camera looks: PTZ position (ONVIF generic units) -> window into the wide scene.
// Pure: the Node side computes it once and sends the crop to the GStreamer process, so the
// geometry lives (and is tested) in one place.

export interface ViewPosition {
  pan: number; // -1 (left) .. 1 (right)
  tilt: number; // -1 (down) .. 1 (up)
  zoom: number; // 0 (wide) .. 1 (tele)
}

export interface Size {
  width: number;
  height: number;
}

/** Window in scene pixels plus the same as videocrop's four margins. */
export interface CropRect {
  x: number;
  y: number;
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** The drawn scene: twice the output each way, so even the wide view has room to pan and tilt. */
export const SCENE: Size = { width: 2560, height: 1440 };
export const OUTPUT: Size = { width: 1280, height: 720 };
/** Tele end magnification relative to the wide end, as on a small 5x PTZ dome. */
export const MAX_ZOOM = 5;

const clamp = (v: number, min: number, max: number) => (Number.isFinite(v) ? Math.min(max, Math.max(min, v)) : 0);

export function clampView(p: ViewPosition): ViewPosition {
  return { pan: clamp(p.pan, -1, 1), tilt: clamp(p.tilt, -1, 1), zoom: clamp(p.zoom, 0, 1) };
}

/**
 * Window for a position. Zoom is exponential (each step magnifies by the same factor, as an optical
 * zoom feels); the window keeps the output's aspect exactly and even pixel offsets (I420 chroma).
 */
export function viewCrop(position: ViewPosition, scene: Size = SCENE, wide: Size = OUTPUT, maxZoom = MAX_ZOOM): CropRect {
  const p = clampView(position);
  const factor = maxZoom ** p.zoom;
  // Width a multiple of `unit` so height = width * aspect is a whole even number.
  const unit = 2 * (wide.width / gcd(wide.width, wide.height));
  const fits = Math.min(scene.width, (scene.height * wide.width) / wide.height);
  const width = Math.min(Math.floor(fits / unit) * unit, Math.max(unit, Math.round(wide.width / factor / unit) * unit));
  const height = (width * wide.height) / wide.width;
  const cx = scene.width / 2 + (p.pan * (scene.width - width)) / 2;
  const cy = scene.height / 2 - (p.tilt * (scene.height - height)) / 2; // tilt up = top of the scene
  const x = even(clamp(cx - width / 2, 0, scene.width - width));
  const y = even(clamp(cy - height / 2, 0, scene.height - height));
  return { x, y, width, height, left: x, right: scene.width - x - width, top: y, bottom: scene.height - y - height };
}

function even(v: number): number {
  return 2 * Math.floor(v / 2);
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
