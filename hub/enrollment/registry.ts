import { EventEmitter } from 'node:events';
import { Type, type Static } from '@sinclair/typebox';
import { openLowdbDocument } from '../../common/storage/lowdb-document.js';
import type { Logger } from '../../common/log.js';
import type { EnrolledKey, RoomRegistry } from './registry-contract.js';
import { keyActiveAt } from './registry-view.js';
import { newStoredKey, publicOf, registryReads, StoredRoom } from './registry-reads.js';

// The registry (`<stateDir>/registry.json`, 0600): room → every appliance key it enrolled, with its
// validity window, and the sha256 of the room token bound to that key (never the token). A room has at
// most one active key: enrolling a new one closes the old one's window (validTo), revoking ends it
// (revokedAt); either way the old key's token stops working, while evidence signed inside the old
// window still verifies (keyValidAt). Without a file (tests) it lives in memory. The PostgreSQL backend
// (several hub nodes) is registry-pg.ts; both pass registry-suite.ts.

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
  const active = (id: string) => data.rooms.find((r) => r.id === id)?.keys.find((k) => keyActiveAt(k, now().getTime()));

  return {
    events,
    ...registryReads(() => data.rooms, now),
    async enroll({ room, name, publicKeyPem, by }) {
      const at = now().toISOString();
      const { key, token } = newStoredKey(publicKeyPem, by, at);
      let r = data.rooms.find((x) => x.id === room);
      if (!r) data.rooms.push((r = { id: room, name, keys: [] }));
      r.name = name || r.name;
      for (const k of r.keys) if (keyActiveAt(k, now().getTime())) k.validTo = at; // replaced: evidence of its window still verifies
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
