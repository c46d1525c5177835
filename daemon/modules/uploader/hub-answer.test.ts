import { describe, expect, it } from 'vitest';
import { HubError } from './hub-client.js';
import { refusalOf, verdictOf } from './hub-answer.js';
import { ForgedReceiptError } from './upload-file.js';

// The hub's answers (docs/UPLOAD.md, hub/archive) → what the uploader does with the file.

describe('verdictOf', () => {
  it.each([
    [409, 'UPLOAD_BUSY', 'busy'],
    [408, 'HTTP', 'away'],
    [429, 'HTTP', 'away'],
    [500, 'INTERNAL', 'away'],
    [503, 'HTTP', 'away'],
    [422, 'SHA256_MISMATCH', 'resend'],
    [422, 'SIZE_MISMATCH', 'resend'],
    [409, 'UPLOAD_RESTARTED', 'resend'],
    [409, 'OFFSET_MISMATCH', 'resend'],
    [401, 'UNAUTHORIZED', 'locked'],
    [409, 'ALREADY_ARCHIVED', 'refused'],
    [422, 'MANIFEST_INVALID', 'refused'],
    [422, 'MANIFEST_UNREADABLE', 'refused'],
    [409, 'MANIFEST_REWRITE', 'refused'],
    [422, 'BOOK_UNREADABLE', 'refused'],
    [403, 'WRONG_ROOM', 'refused'],
    [403, 'FORBIDDEN', 'refused'],
    [413, 'CHUNK_TOO_LARGE', 'refused'],
    [400, 'INVALID_REQUEST', 'refused'],
  ])('%i %s → %s', (status, code, verdict) => {
    expect(verdictOf(new HubError(status, code, 'why'))).toBe(verdict);
  });

  it('a network failure is the hub away; a receipt that does not verify is a refusal', () => {
    expect(verdictOf(new TypeError('fetch failed'))).toBe('away');
    expect(verdictOf(new ForgedReceiptError('bad receipt'))).toBe('refused');
  });

  it("keeps the hub's own words", () => {
    expect(refusalOf(new HubError(422, 'MANIFEST_INVALID', 'manifest entry 39: segment times go backwards'))).toEqual({
      status: 422,
      code: 'MANIFEST_INVALID',
      message: 'manifest entry 39: segment times go backwards',
    });
    expect(refusalOf(new ForgedReceiptError('names other bytes'))).toEqual({
      status: 0,
      code: 'RECEIPT_INVALID',
      message: 'names other bytes',
    });
  });
});
