import type { EventEmitter } from 'node:events';

// The hub's registry of rooms and their appliances' keys, as the rest of the hub sees it. Enrollment
// (hub/enrollment) writes it; the auth plugin reads room identities from it; the archive and
// `reception verify` accept a hearing only under the key the room had enrolled at that time.

export interface EnrolledKey {
  /** Ed25519 public key of the appliance, SPKI PEM (as in the manifest's `open` entry). */
  publicKeyPem: string;
  /** sha256 of the key's DER, hex (how people and logs name a key). */
  fingerprint: string;
  enrolledAt: string;
  enrolledBy: string;
  /** The key signs evidence from validFrom until validTo / revokedAt (ISO 8601). */
  validFrom: string;
  validTo?: string;
  revokedAt?: string;
  revokedBy?: string;
  reason?: string;
}

export interface RoomRecord {
  id: string;
  name: string;
  /** Every key the room ever enrolled, oldest first; at most one is active. */
  keys: EnrolledKey[];
}

export type KeyCheck = { ok: true; key: EnrolledKey } | { ok: false; reason: string };

export interface RoomRegistry {
  rooms(): RoomRecord[];
  room(id: string): RoomRecord | undefined;
  /** The room whose active (enrolled, not revoked, not expired) credential this token is. */
  roomByToken(token: string): { room: RoomRecord; key: EnrolledKey } | undefined;
  /** Whether `publicKeyPem` was `room`'s enrolled key at `at` (revocation stops validity from then on). */
  keyValidAt(room: string, publicKeyPem: string, at: Date): KeyCheck;
  /** 'changed' after every enrollment, revocation or room change. */
  events: EventEmitter;
}
