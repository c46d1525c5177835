import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SealedIdentity } from '../../common/evidence/book-schema.js';
import { BookKeyError, openBook, sealBook, type StoredBook } from '../../common/evidence/index.js';
import { sampleBook } from '../../common/evidence/test/chain-fixture.js';

// AES-GCM with a truncated tag: Node accepts a 4..16-byte tag unless told its length, and a 4-byte tag
// is forged with 2^32 tries. The book's identity must decrypt only with the full 16-byte tag.

describe('book identity: AES-256-GCM tag length', () => {
  const key = randomBytes(32);
  const withTag = (stored: StoredBook, tag: Buffer): StoredBook => ({
    ...stored,
    citizen: { ...(stored.citizen as SealedIdentity), tag: tag.toString('base64') },
  });

  it('refuses a tag shorter than 16 bytes, even the true prefix of the real tag', () => {
    const stored = sealBook(sampleBook(), key);
    const tag = Buffer.from((stored.citizen as SealedIdentity).tag, 'base64');
    expect(tag).toHaveLength(16);
    for (const n of [4, 8, 12, 15]) expect(() => openBook(withTag(stored, tag.subarray(0, n)), key), `${n}-byte tag`).toThrow(BookKeyError);
    expect(() => openBook(withTag(stored, Buffer.concat([tag, Buffer.from([0])])), key)).toThrow(BookKeyError);
    expect(openBook(stored, key)).toMatchObject({ citizen: sampleBook().citizen });
  });
});
