import { keyCheckTimes, notEnrolledText, publicKeyPemFromRaw, type ManifestEntry } from '../../common/evidence/index.js';
import type { RoomRegistry } from '../enrollment/registry-contract.js';

// The archive accepts a hearing only when its `open` key is the room's enrolled key at the hearing's time
// (RoomRegistry.keyValidAt): the chain's own key proves nothing, anyone can re-sign a chain with a fresh
// key. Checked at the hearing's start and at its last entry (a key revoked while it ran signs nothing after).

export type KeyBinding = { ok: true; fingerprint: string } | { ok: false; fingerprint?: string; reason: string };

/** The first problem of the open key against the registry, or ok; `entries` is a chain that verified. */
export function checkOpenKey(entries: ManifestEntry[], registry: RoomRegistry | undefined): KeyBinding {
  const open = entries[0];
  if (open?.kind !== 'open') return { ok: false, reason: 'no open entry' };
  if (!registry)
    return {
      ok: false,
      reason: 'không có sổ đăng ký thiết bị, không kiểm tra được khoá ký / no room registry: the signing key cannot be checked',
    };
  const raw = Buffer.from(open.publicKey, 'base64');
  const last = entries.at(-1)!;
  const times = keyCheckTimes(open, last);
  let fingerprint: string | undefined;
  for (const at of times) {
    const check = registry.keyValidAt(open.room, publicKeyPemFromRaw(raw), new Date(at));
    const words = notEnrolledText(open.room, raw, at, check.ok ? '' : check.reason);
    fingerprint = words.fingerprint;
    if (!check.ok) return { ok: false, fingerprint, reason: `${words.vi} / ${words.en}` };
  }
  return { ok: true, fingerprint: fingerprint! };
}
