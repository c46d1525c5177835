import { Type, type Static } from '@sinclair/typebox';
import type { EnrolledKey, RoomRecord } from './registry-contract.js';

// What the console and the API show of the registry: rooms, their keys' fingerprints and windows, and
// the room's state — 'active' (a key enrolled and valid), 'revoked' ('đã thu hồi'), or 'none' (never
// enrolled, or its last key was replaced by nothing). No token hash ever leaves the registry.

export const ROOM_STATES = ['active', 'revoked', 'none'] as const;
export type RoomState = (typeof ROOM_STATES)[number];

/** A key as shown: everything the registry keeps of it but the PEM and the token's hash. */
export const KeyView = Type.Object({
  fingerprint: Type.String(),
  enrolledAt: Type.String(),
  enrolledBy: Type.String(),
  validFrom: Type.String(),
  validTo: Type.Optional(Type.String()),
  revokedAt: Type.Optional(Type.String()),
  revokedBy: Type.Optional(Type.String()),
  reason: Type.Optional(Type.String()),
});

export const RegistryRoomView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  state: Type.Union(ROOM_STATES.map((s) => Type.Literal(s))),
  keys: Type.Array(KeyView),
});
export type RegistryRoomView = Static<typeof RegistryRoomView>;

/** The key's token works and it may sign now: enrolled, not revoked, not replaced. */
export const keyActiveAt = (k: EnrolledKey, t: number) =>
  !k.revokedAt && Date.parse(k.validFrom) <= t && (!k.validTo || Date.parse(k.validTo) > t);

export function roomState(r: RoomRecord, now = Date.now()): RoomState {
  if (r.keys.some((k) => keyActiveAt(k, now))) return 'active';
  return r.keys.at(-1)?.revokedAt ? 'revoked' : 'none';
}

export function roomView(r: RoomRecord, now = Date.now()): RegistryRoomView {
  return {
    id: r.id,
    name: r.name,
    state: roomState(r, now),
    keys: r.keys.map(({ publicKeyPem: _p, ...k }) => k),
  };
}
