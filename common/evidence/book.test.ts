import { randomBytes } from 'node:crypto';
import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { BookInput, BookKeyError, BookRecord, openBook, sealBook, serializeBook, type StoredBook } from './index.js';
import { sampleBook } from './test/chain-fixture.js';

describe('reception book', () => {
  const key = randomBytes(32);
  it('schema: accepts a full record, rejects a bad classification, a bad time and unknown fields', () => {
    expect(Value.Check(BookRecord, sampleBook())).toBe(true);
    const { updatedAt: _u, ...input } = sampleBook();
    expect(Value.Check(BookInput, input)).toBe(true);
    expect(Value.Check(BookRecord, { ...sampleBook(), classification: 'rumour' })).toBe(false);
    expect(Value.Check(BookRecord, { ...sampleBook(), receivedAt: 'yesterday' })).toBe(false);
    expect(Value.Check(BookRecord, { ...sampleBook(), extra: 1 })).toBe(false);
  });

  it("encrypts a denouncer's identity: no identity substring in the stored JSON, decrypts with the key", () => {
    const rec = sampleBook();
    const stored = sealBook(rec, key);
    const json = serializeBook(stored);
    for (const secret of [
      'Nguyễn Văn Tố',
      'Nguyễn',
      'Đường Láng',
      '001088012345',
      '0010880',
      'CCCD',
      JSON.stringify(rec.citizen.fullName).slice(1, -1),
    ])
      expect(json).not.toContain(secret);
    expect(stored.citizen).toMatchObject({ enc: 'aes-256-gcm' });
    expect(json).toContain('Trần Thị Bình'); // the officer is not secret
    expect(openBook(JSON.parse(json) as StoredBook, key)).toEqual(rec);
    // A fresh IV each time: two seals of the same record differ.
    expect(serializeBook(sealBook(rec, key))).not.toBe(json);
  });

  it('wrong key or altered ciphertext fails loudly; no key redacts', () => {
    const stored = sealBook(sampleBook(), key);
    expect(() => openBook(stored, randomBytes(32))).toThrow(BookKeyError);
    const c = stored.citizen as { data: string };
    const data = Buffer.from(c.data, 'base64');
    data[0] ^= 1;
    expect(() => openBook({ ...stored, citizen: { ...c, data: data.toString('base64') } } as StoredBook, key)).toThrow(BookKeyError);
    expect(() => sealBook(sampleBook(), randomBytes(16))).toThrow(BookKeyError);
    const red = openBook(stored, null);
    expect(red).toMatchObject({ citizen: null, redacted: true, summary: sampleBook().summary });
  });

  it('other classifications are stored in clear, still redacted without a key', () => {
    for (const k of ['complaint', 'petition', 'reflection'] as const) {
      const stored = sealBook(sampleBook(k), key);
      expect(serializeBook(stored)).toContain('001088012345');
      expect(openBook(stored, key)).toEqual(sampleBook(k));
      expect(openBook(stored, null)).toMatchObject({ citizen: null, redacted: true });
    }
  });
});
