import { archiveErrorCode, type ArchiveErrorCode } from '../../../common/contracts/archive.js';
import { HubError } from './hub-client.js';
import { ForgedReceiptError } from './upload-file.js';

// What a failed upload means for the file, from the hub's error code (the JSON body's `code`,
// docs/UPLOAD.md; the codes are the archive contract's ARCHIVE_ERROR_CODES, common/contracts/archive.ts,
// answered by hub/archive) and only then from the HTTP status.
//
//   busy     UPLOAD_BUSY: another PATCH of this file is still running at the hub (a slow link, an
//            attempt the room gave up on) → the same file again in a moment; no alarm.
//   away     network error, timeout, 5xx, 408, 429 → wait with backoff, then the same file (order kept).
//   resend   the hub discarded this attempt (SHA256_MISMATCH, SIZE_MISMATCH: a transfer corrupted or the
//            file read while changing; UPLOAD_RESTARTED, OFFSET_MISMATCH: the hub is elsewhere) → re-read,
//            re-send; refused after RESEND_LIMIT attempts in a row.
//   locked   401: the hub does not accept the room's secret — every file alike, so nothing is parked.
//   refused  anything else 4xx (ALREADY_ARCHIVED with other bytes, MANIFEST_INVALID / _UNREADABLE /
//            _REWRITE, BOOK_UNREADABLE, WRONG_ROOM, 403, 413 CHUNK_TOO_LARGE, 400, 404, 415) and a receipt
//            that does not verify: the room cannot fix it by sending again → park the file, alarm.

export const VERDICTS = ['busy', 'away', 'resend', 'locked', 'refused'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** A file the hub keeps discarding this many times in a row is parked as refused. */
export const RESEND_LIMIT = 3;

const RESEND_CODES: ReadonlySet<ArchiveErrorCode | undefined> = new Set<ArchiveErrorCode>([
  'SHA256_MISMATCH',
  'SIZE_MISMATCH',
  'UPLOAD_RESTARTED',
  'OFFSET_MISMATCH',
]);

export function verdictOf(err: unknown): Verdict {
  if (err instanceof ForgedReceiptError) return 'refused';
  if (!(err instanceof HubError)) return 'away';
  const code = archiveErrorCode(err.code); // undefined: a code this room does not know (another hub version)
  if (code === 'UPLOAD_BUSY') return 'busy';
  if (err.status < 400 || err.status >= 500 || err.status === 408 || err.status === 429) return 'away';
  if (err.status === 401) return 'locked';
  if (RESEND_CODES.has(code)) return 'resend';
  return 'refused';
}

/** The hub's own words for a refusal: status, code, message (0 / RECEIPT_INVALID for a bad receipt). */
export function refusalOf(err: unknown): { status: number; code: string; message: string } {
  if (err instanceof HubError) return { status: err.status, code: err.code, message: err.reason };
  return {
    status: 0,
    code: err instanceof ForgedReceiptError ? 'RECEIPT_INVALID' : 'ERROR',
    message: err instanceof Error ? err.message : String(err),
  };
}
