import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { BookRecord, Citizen, RedactedBook, SealedIdentity, StoredBook } from './book-schema.js';

// A denouncer's identity is confidential (Law on Denunciation): for denunciations the citizen block
// is stored encrypted with the room's book key; other classifications are stored in clear.

// Binds the ciphertext to its purpose, so a blob from another encrypted format cannot be replayed here.
const AAD = Buffer.from('reception-book/citizen/v1', 'utf8');
// GCM's full tag and standard IV. Node accepts a tag of 4..16 bytes unless told its length; a short one
// is forgeable (a 4-byte tag falls to 2^32 tries), so decryption insists on exactly these sizes.
const TAG_BYTES = 16;
const IV_BYTES = 12;

export class BookKeyError extends Error {}

export function sealBook(record: BookRecord, bookKey: Buffer): StoredBook {
  assertKey(bookKey);
  const { citizen, ...rest } = record;
  if (record.classification !== 'denunciation') return { v: 1, ...rest, citizen: { ...citizen } };
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', bookKey, iv, { authTagLength: TAG_BYTES }).setAAD(AAD);
  const data = Buffer.concat([cipher.update(JSON.stringify(citizen), 'utf8'), cipher.final()]);
  const sealed: SealedIdentity = {
    enc: 'aes-256-gcm',
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64'),
  };
  return { v: 1, ...rest, citizen: sealed };
}

/** With no key the citizen is always withheld (`redacted: true`), encrypted or not. Wrong key → BookKeyError. */
export function openBook(stored: StoredBook, bookKey: Buffer | null): BookRecord | RedactedBook {
  const { v: _v, citizen, ...rest } = stored;
  if (!bookKey) return { ...rest, citizen: null, redacted: true };
  if (!isSealed(citizen)) return { ...rest, citizen };
  assertKey(bookKey);
  try {
    const iv = Buffer.from(citizen.iv, 'base64');
    const tag = Buffer.from(citizen.tag, 'base64');
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new Error(`IV ${iv.length} / tag ${tag.length} bytes`);
    const decipher = createDecipheriv('aes-256-gcm', bookKey, iv, { authTagLength: TAG_BYTES }).setAAD(AAD);
    decipher.setAuthTag(tag);
    const text = Buffer.concat([decipher.update(Buffer.from(citizen.data, 'base64')), decipher.final()]).toString('utf8');
    return { ...rest, citizen: JSON.parse(text) as Citizen };
  } catch {
    throw new BookKeyError('cannot decrypt the citizen identity: wrong book key or altered book.json');
  }
}

export function isSealed(c: Citizen | SealedIdentity): c is SealedIdentity {
  return (c as SealedIdentity).enc === 'aes-256-gcm';
}

/** book.json's exact bytes; the manifest's `book` entry hashes these. */
export function serializeBook(stored: StoredBook): string {
  return JSON.stringify(stored, null, 2) + '\n';
}

function assertKey(key: Buffer) {
  if (key.length !== 32) throw new BookKeyError(`book key must be 32 bytes, got ${key.length}`);
}
