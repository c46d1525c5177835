import { describe, expect, it } from 'vitest';
import { generateApplianceKey, signReceipt, verifyReceipt, type Receipt } from './index.js';

const fields = { hearing: 'h1', file: 'seg-00000.mkv', sha256: 'ab'.repeat(32), bytes: 1234, receivedAt: '2024-05-06T07:08:09.000Z' };

describe('receipts', () => {
  const hub = generateApplianceKey();
  it('signs the contract fields and verifies against the hub key', () => {
    const r = signReceipt({ ...fields, extra: 'dropped' } as typeof fields, hub.privateKeyPem);
    expect(Object.keys(r).sort()).toEqual(['bytes', 'file', 'hearing', 'hubKey', 'receivedAt', 'sha256', 'sig', 'v']);
    expect(r.hubKey).toBe(hub.publicKeyRaw.toString('base64'));
    expect(verifyReceipt(r, hub.publicKeyRaw)).toBe(true);
    expect(verifyReceipt(JSON.parse(JSON.stringify(r)) as Receipt)).toBe(true);
  });
  it('rejects altered fields, a receipt forged with another key, and junk', () => {
    const r = signReceipt(fields, hub.privateKeyPem);
    for (const [k, v] of Object.entries({
      hearing: 'h2',
      file: 'seg-00001.mkv',
      sha256: 'cd'.repeat(32),
      bytes: 1235,
      receivedAt: '2024-05-06T07:08:10.000Z',
    })) {
      expect(verifyReceipt({ ...r, [k]: v }, hub.publicKeyRaw), k).toBe(false);
    }
    const mallory = generateApplianceKey();
    const forged = signReceipt(fields, mallory.privateKeyPem);
    expect(verifyReceipt(forged)).toBe(true); // self-consistent…
    expect(verifyReceipt(forged, hub.publicKeyRaw)).toBe(false); // …but not by the hub
    expect(verifyReceipt({ ...forged, hubKey: r.hubKey }, hub.publicKeyRaw)).toBe(false);
    expect(verifyReceipt({ ...r, sig: 'AAAA' }, hub.publicKeyRaw)).toBe(false);
    expect(verifyReceipt(null as unknown as Receipt)).toBe(false);
    expect(verifyReceipt({ ...r, bytes: NaN }, hub.publicKeyRaw)).toBe(false);
  });
});
