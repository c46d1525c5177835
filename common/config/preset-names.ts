import type { CameraConfig } from './room-schema.js';

// `cameras[].presetNames`: the room's named presets from commissioning. Officers see and recall these only,
// in config order, under these names; whatever else the camera lists (a PTZ dome reports ~300, vendor
// function presets among them) is for technicians. A list, so the order is the technician's: a JSON map
// would put numeric tokens ("12", "2") in ascending order whatever was written.

export type NamedPreset = CameraConfig['presetNames'][number];

/** token → name, for drivers that only need names (VISCA memories have none of their own). */
export function presetNameMap(names: readonly NamedPreset[]): Record<string, string> {
  return Object.fromEntries(names.map((p) => [p.token, p.name]));
}

/** Tokens named more than once (a config problem: which name would officers see?). */
export function duplicateTokens(names: readonly NamedPreset[]): string[] {
  const seen = new Set<string>();
  return [...new Set(names.filter((p) => seen.has(p.token) || !seen.add(p.token)).map((p) => p.token))];
}

/**
 * Configs written before the list (`reception config init` wrote `"presetNames": {}`) keep loading: a
 * `{"token": "name"}` map becomes the list, in the map's key order. Anything else is left for the schema to refuse.
 */
export function presetNamesAsLists(raw: unknown): unknown {
  const cameras = (raw as { cameras?: unknown })?.cameras;
  if (!Array.isArray(cameras)) return raw;
  const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  return {
    ...(raw as object),
    cameras: cameras.map((cam) =>
      isMap(cam) && isMap(cam.presetNames)
        ? { ...cam, presetNames: Object.entries(cam.presetNames).map(([token, name]) => ({ token, name })) }
        : cam,
    ),
  };
}
