import type { ManifestEntry, OpenEntry } from './entry-schema.js';
import { keyFingerprint } from './keys.js';

// Which key may sign a room's evidence, and when (docs/EVIDENCE.md "Keys bound to the registry"). The
// hub's registry (hub/enrollment) and the hub-signed export `reception verify` reads offline both answer
// with these rules, so the archive and the CLI agree on every hearing.

/** A key's validity as the registry keeps it (ISO 8601 times). */
export interface KeyWindow {
  validFrom: string;
  validTo?: string;
  revokedAt?: string;
  reason?: string;
}

export type KeyVerdict = { ok: true } | { ok: false; reason: string };

/** Whether a key with this window signs evidence at `at`: from validFrom, until validTo or revokedAt (exclusive). */
export function keyWindowAt(k: KeyWindow, at: Date): KeyVerdict {
  const t = at.getTime();
  if (!Number.isFinite(t)) return { ok: false, reason: 'no valid time to check the key at' };
  if (t < Date.parse(k.validFrom)) return { ok: false, reason: `the key is valid only from ${k.validFrom}` };
  if (k.revokedAt && t >= Date.parse(k.revokedAt))
    return { ok: false, reason: `the key was revoked at ${k.revokedAt}${k.reason ? ` (${k.reason})` : ''}` };
  if (k.validTo && t >= Date.parse(k.validTo)) return { ok: false, reason: `the key expired at ${k.validTo}` };
  return { ok: true };
}

/**
 * The times a hearing's key is checked at: its open, and its end (close.end, else the last entry's time) for a
 * key replaced or revoked while it ran. Both are the room's clock; when that clock was stepped back during the
 * hearing (NTP correcting it), the end reads earlier than the open — the hearing cannot have ended before it
 * began, so the end is taken as no earlier than the open (the key's start was already checked there).
 */
export function keyCheckTimes(open: OpenEntry, last: ManifestEntry): string[] {
  const end = last.kind === 'close' ? last.end : last.at;
  return [open.start, Date.parse(end) < Date.parse(open.start) ? open.start : end];
}

/** The words for a key that is not the room's enrolled one: Vietnamese, then English, naming the key. */
export function notEnrolledText(room: string, raw: Buffer, at: string, reason: string): { vi: string; en: string; fingerprint: string } {
  let fingerprint: string;
  try {
    fingerprint = keyFingerprint(raw);
  } catch {
    fingerprint = `(not an Ed25519 key: ${raw.toString('base64')})`;
  }
  return {
    fingerprint,
    vi: `khoá ký ${fingerprint} không phải khoá đã đăng ký của phòng "${room}" tại ${at}`,
    en: `signing key ${fingerprint} is not room "${room}"'s enrolled key at ${at}: ${reason}`,
  };
}
