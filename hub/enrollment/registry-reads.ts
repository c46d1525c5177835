import { randomBytes } from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import { matchesSha256, sha256Hex } from '../../common/http/credentials.js';
import { ed25519KeyInfo } from '../../common/contracts/enrollment.js';
import type { EnrolledKey, KeyCheck, RoomRecord, RoomRegistry } from './registry-contract.js';
import { KeyView, keyActiveAt } from './registry-view.js';

// What both registry backends share (registry.ts: lowdb file; registry-pg.ts: PostgreSQL): the stored
// shape of a room and its keys, a new key with its token, and every read, over the backend's rooms in
// memory. Reads stay synchronous because the auth plugin asks `roomByToken` on every request.

export const StoredKey = Type.Composite([
  KeyView,
  Type.Object({ publicKeyPem: Type.String(), tokenSha256: Type.String({ pattern: '^[0-9a-f]{64}$' }) }),
]);
export type StoredKey = Static<typeof StoredKey>;
export const StoredRoom = Type.Object({ id: Type.String(), name: Type.String(), keys: Type.Array(StoredKey) });
export type StoredRoom = Static<typeof StoredRoom>;

export const publicOf = ({ tokenSha256: _t, ...k }: StoredKey): EnrolledKey => k;
const roomOf = (r: StoredRoom): RoomRecord => ({ id: r.id, name: r.name, keys: r.keys.map(publicOf) });

/** A key to enroll now and its room token (only the token's sha256 is stored). Throws on a key that is not Ed25519. */
export function newStoredKey(publicKeyPem: string, by: string, at: string): { key: StoredKey; token: string } {
  const info = ed25519KeyInfo(publicKeyPem);
  if (!info) throw new Error('not an Ed25519 public key');
  const token = `rt1.${randomBytes(32).toString('base64url')}`;
  const key = {
    publicKeyPem: info.pem,
    fingerprint: info.fingerprint,
    enrolledAt: at,
    enrolledBy: by,
    validFrom: at,
    tokenSha256: sha256Hex(token),
  };
  return { key, token };
}

type Reads = Pick<RoomRegistry, 'rooms' | 'room' | 'roomByToken' | 'keyValidAt'> & { activeKey(room: string): EnrolledKey | undefined };

/** The registry's reads over `rooms()` (the backend's current rooms, oldest key first). */
export function registryReads(rooms: () => StoredRoom[], now: () => Date): Reads {
  const find = (id: string) => rooms().find((r) => r.id === id);
  return {
    rooms: () => rooms().map(roomOf),
    room: (id) => ((r) => r && roomOf(r))(find(id)),
    activeKey(room) {
      const k = find(room)?.keys.find((x) => keyActiveAt(x, now().getTime()));
      return k && publicOf(k);
    },
    roomByToken(token) {
      if (!token) return undefined;
      const t = now().getTime();
      for (const r of rooms())
        for (const k of r.keys) if (keyActiveAt(k, t) && matchesSha256(k.tokenSha256, token)) return { room: roomOf(r), key: publicOf(k) };
      return undefined;
    },
    keyValidAt(room, publicKeyPem, at): KeyCheck {
      const r = find(room);
      if (!r) return { ok: false, reason: `room "${room}" is not in the registry` };
      const info = ed25519KeyInfo(publicKeyPem);
      if (!info) return { ok: false, reason: 'not an Ed25519 public key' };
      const matches = r.keys.filter((k) => k.fingerprint === info.fingerprint);
      if (matches.length === 0) return { ok: false, reason: `key ${info.fingerprint} was never enrolled for room "${room}"` };
      const t = at.getTime();
      const inside = matches.find(
        (k) => Date.parse(k.validFrom) <= t && !(k.revokedAt && Date.parse(k.revokedAt) <= t) && !(k.validTo && Date.parse(k.validTo) <= t),
      );
      if (inside) return { ok: true, key: publicOf(inside) };
      const k = matches.at(-1)!;
      if (t < Date.parse(k.validFrom))
        return { ok: false, reason: `key ${k.fingerprint} of room "${room}" was enrolled only at ${k.validFrom}` };
      if (k.revokedAt) return { ok: false, reason: `key ${k.fingerprint} of room "${room}" was revoked at ${k.revokedAt}` };
      return { ok: false, reason: `key ${k.fingerprint} of room "${room}" was replaced at ${k.validTo}` };
    },
  };
}
