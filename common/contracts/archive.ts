import { Type, type Static } from '@sinclair/typebox';
import { HUB_API } from './route.js';

// Room → hub archive (docs/UPLOAD.md): the routes, the upload headers, the signed receipt and the
// error codes the hub answers with. hub/archive serves them, daemon/modules/uploader calls them.
// Pure TypeBox, no app imports.

/** Every archive route is below this path. */
export const ARCHIVE_PREFIX = `${HUB_API}/archive`;
/** HEAD (resume point) and PATCH (a chunk at Upload-Offset) of one segment. */
export const ARCHIVE_FILE_ROUTE = '/hearings/:h/files/:name';
/** The two documents uploaded whole with PUT, by their route name. */
export const ARCHIVE_DOCUMENTS = ['manifest', 'book'] as const;
export type ArchiveDocument = (typeof ARCHIVE_DOCUMENTS)[number];
export const archiveDocumentRoute = (doc: ArchiveDocument) => `/hearings/:h/${doc}` as const;
/** GET, no auth: the hub's receipt key (ArchiveKey). */
export const ARCHIVE_KEY_ROUTE = '/key';

/** Header names of the resumable upload (lower case, as node and fastify give them). */
export const UPLOAD_HEADER = {
  /** Request: where this chunk starts. Answer: the hub's offset (HEAD, 204, 409). */
  offset: 'upload-offset',
  /** The whole file's size (PATCH; HEAD answers it once declared). */
  length: 'upload-length',
  /** Hex SHA-256 of the whole file (PATCH). */
  sha256: 'upload-sha256',
  /** HEAD answer: `?1` the file is archived whole, `?0` not yet (RFC 8941 boolean). */
  complete: 'upload-complete',
} as const;
export const UPLOAD_COMPLETE = { yes: '?1', no: '?0' } as const;
/** The content type of a PATCH chunk. */
export const CHUNK_CONTENT_TYPE = 'application/offset+octet-stream';

export const UploadHeaders = Type.Object({
  [UPLOAD_HEADER.offset]: Type.Integer({ minimum: 0, description: "where this chunk starts (must equal the hub's offset)" }),
  [UPLOAD_HEADER.length]: Type.Integer({ minimum: 0, description: "the whole file's size" }),
  [UPLOAD_HEADER.sha256]: Type.String({ pattern: '^[0-9a-f]{64}$', description: 'hex SHA-256 of the whole file' }),
});
export type UploadHeaders = Static<typeof UploadHeaders>;

/** Hub → room for one accepted file (docs/EVIDENCE.md "Receipt"); signed and checked in common/evidence/receipt.ts. */
export const Receipt = Type.Object(
  {
    v: Type.Literal(1),
    hearing: Type.String(),
    file: Type.String(),
    sha256: Type.String(),
    bytes: Type.Integer(),
    receivedAt: Type.String(),
    hubKey: Type.String({ description: 'base64 raw Ed25519 public key of the hub' }),
    sig: Type.String({ description: 'base64 Ed25519 signature over the canonical JSON without sig' }),
  },
  { description: 'signed receipt (docs/EVIDENCE.md)' },
);
export type Receipt = Static<typeof Receipt>;

export const ArchiveKey = Type.Object({
  alg: Type.Literal('Ed25519'),
  publicKey: Type.String({ description: 'base64 raw Ed25519 public key' }),
});
export type ArchiveKey = Static<typeof ArchiveKey>;

/** The `code` of every error body the archive answers (docs/UPLOAD.md); the room decides from it what to do. */
export const ARCHIVE_ERROR_CODES = [
  // PATCH of a segment
  'OFFSET_MISMATCH',
  'UPLOAD_BUSY',
  'UPLOAD_RESTARTED',
  'ALREADY_ARCHIVED',
  'SIZE_MISMATCH',
  'SHA256_MISMATCH',
  'CHUNK_TOO_LARGE',
  'FILE_TOO_LARGE',
  'QUOTA_EXCEEDED',
  'USE_PUT',
  'WRONG_CONTENT_TYPE',
  // PUT of the manifest or book.json
  'MANIFEST_UNREADABLE',
  'MANIFEST_INVALID',
  'MANIFEST_REWRITE',
  'WRONG_ROOM',
  'BOOK_UNREADABLE',
  // any route
  'INVALID_REQUEST',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_RANGE',
  // the archive's object storage (S3) unreachable or refusing: 503 + Retry-After, no receipt; the room retries
  'STORAGE_UNAVAILABLE',
  // ?format=mp4 playback
  'REMUX_BUSY',
] as const;
export type ArchiveErrorCode = (typeof ARCHIVE_ERROR_CODES)[number];

const KNOWN: ReadonlySet<string> = new Set(ARCHIVE_ERROR_CODES);
/** The code as one of the contract's, or undefined for one this side does not know (another hub version). */
export const archiveErrorCode = (code: string): ArchiveErrorCode | undefined => (KNOWN.has(code) ? (code as ArchiveErrorCode) : undefined);
