import type { PtzPreset } from '../../../drivers/ptz/ptz-driver.js';

// The camera preset lists the preset routes read, kept a minute per camera, so a recall right after the
// kiosk listed the presets asks the camera once (GotoPreset), not twice (GetPresets of ~300 slots first).
// What the recall policy reads from the list — is the token a vendor function slot, does the camera hold
// it — changes only when presets are stored or removed; the routes forget a camera's list when they do.
// A token missing from the kept list is always read afresh (stored on the camera meanwhile).

export function presetLists(ttlMs = 60_000, now = () => performance.now()) {
  const kept = new Map<string, { at: number; list: PtzPreset[] }>();
  return {
    /** Reads the camera's list now and keeps it. */
    async read(camera: string, fetch: () => Promise<PtzPreset[]>): Promise<PtzPreset[]> {
      const list = await fetch();
      kept.set(camera, { at: now(), list });
      return list;
    },
    /** The token's entry in a list read less than `ttlMs` ago; undefined: read it afresh. */
    cached(camera: string, token: string): PtzPreset | undefined {
      const k = kept.get(camera);
      return k && now() - k.at < ttlMs ? k.list.find((p) => p.token === token) : undefined;
    },
    forget(camera: string) {
      kept.delete(camera);
    },
  };
}
