import { describe, expect, it } from 'vitest';
import { generateApplianceKey, parseReceipts, receiptCovering, signReceipt, type Receipt } from './index.js';

// Does a receipt stand in for a deleted segment? Receipts signed with the real signing code.

const want = { hearing: 'h1.room-a', file: 'seg-00001.ts', sha256: 'ab'.repeat(32), bytes: 1234 };
const hub = generateApplianceKey();
const mallory = generateApplianceKey();
const receipt = (over: Partial<typeof want> = {}, key = hub, receivedAt = '2024-05-06T07:08:09.000Z') =>
  signReceipt({ ...want, ...over, receivedAt }, key.privateKeyPem);

describe('receiptCovering', () => {
  it('a hub-signed receipt for exactly these bytes covers the file; the newest one is reported', () => {
    const older = receipt({}, hub, '2024-05-06T07:08:09.000Z');
    const newer = receipt({}, hub, '2024-05-06T07:09:00.000Z');
    expect(receiptCovering([older, receipt({ file: 'seg-00002.ts' }), newer], want, hub.publicKeyRaw)).toEqual({
      ok: true,
      receipt: newer,
    });
  });

  it('no receipt for the file, or one naming other bytes or another hearing', () => {
    expect(receiptCovering([], want, hub.publicKeyRaw)).toEqual({ ok: false, why: 'no-receipt' });
    expect(receiptCovering([receipt({ file: 'seg-00002.ts' })], want, hub.publicKeyRaw)).toEqual({ ok: false, why: 'no-receipt' });
    expect(receiptCovering([receipt({ sha256: 'cd'.repeat(32) })], want, hub.publicKeyRaw)).toMatchObject({
      ok: false,
      why: 'other-bytes',
    });
    expect(receiptCovering([receipt({ bytes: 1235 })], want, hub.publicKeyRaw)).toMatchObject({ ok: false, why: 'other-bytes' });
    expect(receiptCovering([receipt({ hearing: 'h2.room-a' })], want, hub.publicKeyRaw)).toMatchObject({ ok: false, why: 'other-hearing' });
  });

  it('never trusts the key a receipt names: forged, altered, or no hub key to check with', () => {
    const forged = receipt({}, mallory);
    expect(receiptCovering([forged], want, hub.publicKeyRaw)).toMatchObject({ ok: false, why: 'other-key', receipt: forged });
    const posing: Receipt = { ...forged, hubKey: hub.publicKeyRaw.toString('base64') }; // names the hub, signed by mallory
    expect(receiptCovering([posing], want, hub.publicKeyRaw)).toMatchObject({ ok: false, why: 'bad-signature' });
    const altered: Receipt = { ...receipt(), receivedAt: '2030-01-01T00:00:00.000Z' };
    expect(receiptCovering([altered], want, hub.publicKeyRaw)).toMatchObject({ ok: false, why: 'bad-signature' });
    expect(receiptCovering([receipt()], want, undefined)).toMatchObject({ ok: false, why: 'no-hub-key' });
    expect(receiptCovering([{ ...receipt(), sig: 42 } as unknown as Receipt], want, hub.publicKeyRaw)).toMatchObject({
      ok: false,
      why: 'bad-signature',
    });
  });

  it('reports the candidate closest to valid when several fail', () => {
    const r = receiptCovering([receipt({ hearing: 'h2' }), receipt({}, mallory), receipt({ bytes: 1 })], want, hub.publicKeyRaw);
    expect(r).toMatchObject({ ok: false, why: 'other-key' });
  });
});

describe('parseReceipts', () => {
  it('keeps JSON objects in order and numbers the unreadable lines (a torn last line)', () => {
    const a = receipt();
    const text = `${JSON.stringify(a)}\n\n[1]\n${JSON.stringify(a).slice(0, 30)}`;
    expect(parseReceipts(text)).toEqual({ receipts: [a], badLines: [3, 4] });
  });
});
