import { describe, expect, it } from 'vitest';
import { exportKeyValidAt, generateApplianceKey, keyFingerprint, keyWindowAt, signRegistryExport, verifyRegistryExport } from './index.js';

// The hub-signed registry export and the key-window rules `reception verify` applies offline.

const hub = generateApplianceKey();
const a1 = generateApplianceKey();
const a2 = generateApplianceKey();
const b = generateApplianceKey();
const doc = signRegistryExport(
  [
    {
      id: 'room-a',
      name: 'Phòng tiếp dân xã A',
      keys: [
        {
          publicKeyRaw: a1.publicKeyRaw,
          enrolledAt: '2025-01-01T00:00:00.000Z',
          enrolledBy: 'lan',
          validFrom: '2025-01-01T00:00:00.000Z',
          validTo: '2025-06-01T00:00:00.000Z',
        },
        { publicKeyRaw: a2.publicKeyRaw, enrolledAt: '2025-06-01T00:00:00.000Z', enrolledBy: 'lan', validFrom: '2025-06-01T00:00:00.000Z' },
      ],
    },
    {
      id: 'room-b',
      name: 'Phòng B',
      keys: [
        {
          publicKeyRaw: b.publicKeyRaw,
          enrolledAt: '2025-01-01T00:00:00.000Z',
          enrolledBy: 'lan',
          validFrom: '2025-01-01T00:00:00.000Z',
          revokedAt: '2025-03-01T00:00:00.000Z',
          reason: 'box stolen',
        },
      ],
    },
  ],
  hub.privateKeyPem,
  new Date('2025-07-01T00:00:00.000Z'),
);
const d = (iso: string) => new Date(iso);

describe('registry export', () => {
  it('verifies with the hub key only; any change to it breaks the signature', () => {
    expect(verifyRegistryExport(JSON.parse(JSON.stringify(doc)), hub.publicKeyRaw).ok).toBe(true);
    expect(doc.rooms[0]!.keys[0]!.fingerprint).toBe(keyFingerprint(a1.publicKeyRaw));
    expect(verifyRegistryExport(doc, generateApplianceKey().publicKeyRaw)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('another key'),
    });
    const swapped = structuredClone(doc);
    swapped.rooms[0]!.keys[1]!.publicKey = generateApplianceKey().publicKeyRaw.toString('base64');
    expect(verifyRegistryExport(swapped, hub.publicKeyRaw)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('does not verify'),
    });
    const extended = structuredClone(doc);
    delete extended.rooms[1]!.keys[0]!.revokedAt;
    expect(verifyRegistryExport(extended, hub.publicKeyRaw).ok).toBe(false);
    expect(verifyRegistryExport({ ...doc, extra: 1 }, hub.publicKeyRaw)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('not a registry export'),
    });
  });

  it("a key signs for its room inside its window only: replaced, revoked, before enrollment, another room's", () => {
    expect(exportKeyValidAt(doc, 'room-a', a1.publicKeyRaw, d('2025-05-31T23:59:59Z'))).toEqual({ ok: true });
    expect(exportKeyValidAt(doc, 'room-a', a1.publicKeyRaw, d('2025-06-01T00:00:00Z'))).toMatchObject({
      ok: false,
      reason: 'the key expired at 2025-06-01T00:00:00.000Z',
    });
    expect(exportKeyValidAt(doc, 'room-a', a2.publicKeyRaw, d('2026-01-01T00:00:00Z'))).toEqual({ ok: true });
    expect(exportKeyValidAt(doc, 'room-a', a2.publicKeyRaw, d('2025-05-01T00:00:00Z'))).toMatchObject({
      ok: false,
      reason: expect.stringContaining('valid only from'),
    });
    expect(exportKeyValidAt(doc, 'room-b', b.publicKeyRaw, d('2025-03-02T00:00:00Z'))).toMatchObject({
      ok: false,
      reason: expect.stringContaining('revoked at 2025-03-01T00:00:00.000Z (box stolen)'),
    });
    expect(exportKeyValidAt(doc, 'room-a', b.publicKeyRaw, d('2025-02-01T00:00:00Z'))).toMatchObject({
      ok: false,
      reason: 'the key is enrolled for room "room-b", not "room-a"',
    });
    expect(exportKeyValidAt(doc, 'room-a', generateApplianceKey().publicKeyRaw, d('2025-02-01T00:00:00Z'))).toMatchObject({
      ok: false,
      reason: 'the key was never enrolled for "room-a"',
    });
    expect(exportKeyValidAt(doc, 'room-z', a1.publicKeyRaw, d('2025-02-01T00:00:00Z')).ok).toBe(false);
    expect(keyWindowAt({ validFrom: '2025-01-01T00:00:00Z' }, new Date(Number.NaN)).ok).toBe(false);
  });
});
