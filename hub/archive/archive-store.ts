import type { Readable } from 'node:stream';

// Where the archive keeps bytes. The filesystem backend is the first; an S3-compatible backend maps
// `append` onto multipart upload parts and `commit` onto CompleteMultipartUpload, so nothing above
// this interface knows which one runs.

export interface StoredFile {
  bytes: number;
  /** ISO time the file was committed (or last written, for a partial upload). */
  mtime: string;
}

export interface ArchiveStore {
  /** Hearing ids that have anything stored. */
  list(): Promise<string[]>;
  /** Committed file names of a hearing (no partial uploads, no internal files). */
  listFiles(hearing: string): Promise<string[]>;
  /** A committed file, or undefined. */
  stat(hearing: string, name: string): Promise<StoredFile | undefined>;
  /** Size of the partial upload of `name` (0 when none). */
  partialSize(hearing: string, name: string): Promise<number>;
  /**
   * Appends a chunk to the partial upload, which must currently be exactly `offset` bytes long.
   * Streams: whatever arrived before a broken connection stays (the next chunk resumes there).
   * `limit` caps the bytes taken; more → throws ChunkTooLargeError and truncates back to `offset`.
   * Returns the new partial size.
   */
  append(hearing: string, name: string, offset: number, chunk: Readable, limit: number): Promise<number>;
  /** Reads the partial upload (for the final SHA-256 check). */
  readPartial(hearing: string, name: string): Readable;
  /** Makes the partial upload the committed file (atomic rename on a filesystem). */
  commit(hearing: string, name: string): Promise<void>;
  /** Drops a partial upload (refused file). */
  discardPartial(hearing: string, name: string): Promise<void>;
  /** Writes a whole small file atomically (manifest, book, the hearing's index). */
  put(hearing: string, name: string, bytes: Buffer): Promise<void>;
  /** A whole small file, or undefined. */
  get(hearing: string, name: string): Promise<Buffer | undefined>;
  /** Streams a committed file, optionally a byte range (inclusive end, as in HTTP Range). */
  read(hearing: string, name: string, range?: { start: number; end: number }): Readable;
  /** Local path of a committed file when the backend has one (ffmpeg remux); undefined otherwise. */
  localPath(hearing: string, name: string): string | undefined;
}

export class ChunkTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`chunk exceeds ${limit} bytes (the chunk size limit or the declared Upload-Length)`);
  }
}
