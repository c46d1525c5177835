import type { BookEntry } from './entry-schema.js';

/**
 * Appends to a hearing's manifest. The book module writes `book` entries through this; the daemon's
 * implementation is `createManifestWriter` / `createManifestFile` in daemon/modules/evidence/manifest-file.ts,
 * which fills hearing, at and the chain fields and creates the `open` entry for a new manifest.
 */
export interface ManifestWriter {
  append(hearing: string, entry: Omit<BookEntry, 'v' | 'seq' | 'prev' | 'hash' | 'sig' | 'hearing' | 'at'>): Promise<void>;
}
