import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import { matchesSha256, sha256Hex } from '../../common/http/credentials.js';
import { ed25519KeyInfo } from '../../common/contracts/enrollment.js';
import { openLowdbDocument } from '../../common/storage/lowdb-document.js';
import type { Logger } from '../../common/log.js';
import type { EnrolledKey, KeyCheck, RoomRecord, RoomRegistry } from './registry-contract.js';
import { KeyView, keyActiveAt } from './registry-view.js';

// The registry (`<stateDir>/registry.json`, 0600): room → every appliance key it enrolled, with its
// validity window, and the sha256 of the room token bound to that key (never the token). A room has at
// most one active key: enrolling a new one closes the old one's window (validTo), revoking ends it
// (revokedAt); either way the old key's token stops working, while evidence signed inside the old
// window still verifies (keyValidAt). Without a file (tests) it lives in memory.

const StoredKey = Type.Composite([
  KeyView,
  Type.Object({ publicKeyPem: Type.String(), tokenSha256: Type.String({ pattern: '^[0-9a-f]{64}$' }) }),
]);
type StoredKey = Static<typeof StoredKey>;
const StoredRoom = Type.Object({ id: Type.String(), name: Type.String(), keys: Type.Array(StoredKey) });
export const RegistryFile = Type.Object({ version: Type.Literal(1), rooms: Type.Array(StoredRoom) });
type RegistryData = Static<typeof RegistryFile>;

export interface RegistryDeps {
  /** `<stateDir>/registry.json`; undefined: in memory only. */
  file?: string;
  logger: Logger;
  now?: () => Date;
}

export interface Registry extends RoomRegistry {
  /** Registers `publicKeyPem` as `room`'s active key; the previous active key's window ends now. Returns the new token. */
  enroll(e: { room: string; name: string; publicKeyPem: string; by: string }): Promise<{ key: EnrolledKey; token: string }>;
  /** Ends the room's active key now (its token with it). Returns the key revoked, or undefined when none was active. */
  revoke(room: string, by: string, reason?: string): Promise<EnrolledKey | undefined>;
  /** The active key of a room (enrolled, not revoked, window open). */
  activeKey(room: string): EnrolledKey | undefined;
}

const publicOf = ({ tokenSha256: _t, ...k }: StoredKey): EnrolledKey => k;
const roomOf = (r: RegistryData['rooms'][number]): RoomRecord => ({ id: r.id, name: r.name, keys: r.keys.map(publicOf) });

export async function openRegistry(deps: RegistryDeps): Promise<Registry> {
  const now = deps.now ?? (() => new Date());
  const empty = (): RegistryData => ({ version: 1, rooms: [] });
  const doc = deps.file
    ? await openLowdbDocument(
        deps.file,
        RegistryFile,
        empty,
        deps.logger,
        'ROOM REGISTRY FILE IS CORRUPT: moved aside, every room must enroll again',
        {
          mode: 0o600,
        },
      )
    : undefined;
  const data: RegistryData = doc?.db.data ?? empty();
  const events = new EventEmitter().setMaxListeners(0); // one listener per connected room (signaling), and the room list
  let writing: Promise<void> = Promise.resolve();
  const save = async () => {
    writing = writing.then(() => doc?.db.write());
    await writing;
    events.emit('changed');
  };

  const isActive = (k: StoredKey, at: Date) => keyActiveAt(k, at.getTime());
  const active = (id: string) => data.rooms.find((r) => r.id === id)?.keys.find((k) => isActive(k, now()));

  return {
    events,
    rooms: () => data.rooms.map(roomOf),
    room(id) {
      const r = data.rooms.find((x) => x.id === id);
      return r && roomOf(r);
    },
    activeKey(room) {
      const k = active(room);
      return k && publicOf(k);
    },
    roomByToken(token) {
      if (!token) return undefined;
      const at = now();
      for (const r of data.rooms)
        for (const k of r.keys) if (isActive(k, at) && matchesSha256(k.tokenSha256, token)) return { room: roomOf(r), key: publicOf(k) };
      return undefined;
    },
    keyValidAt(room, publicKeyPem, at): KeyCheck {
      const r = data.rooms.find((x) => x.id === room);
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
    async enroll({ room, name, publicKeyPem, by }) {
      const info = ed25519KeyInfo(publicKeyPem);
      if (!info) throw new Error('not an Ed25519 public key');
      const at = now().toISOString();
      let r = data.rooms.find((x) => x.id === room);
      if (!r) data.rooms.push((r = { id: room, name, keys: [] }));
      r.name = name || r.name;
      for (const k of r.keys) if (isActive(k, now())) k.validTo = at; // replaced: evidence of its window still verifies
      const token = `rt1.${randomBytes(32).toString('base64url')}`;
      const key: StoredKey = {
        publicKeyPem: info.pem,
        fingerprint: info.fingerprint,
        enrolledAt: at,
        enrolledBy: by,
        validFrom: at,
        tokenSha256: sha256Hex(token),
      };
      r.keys.push(key);
      await save();
      return { key: publicOf(key), token };
    },
    async revoke(room, by, reason) {
      const k = active(room);
      if (!k) return undefined;
      k.revokedAt = now().toISOString();
      k.revokedBy = by;
      if (reason) k.reason = reason;
      await save();
      return publicOf(k);
    },
  };
}
