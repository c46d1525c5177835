import type { ArchiveErrorCode } from '../../common/contracts/archive.js';
import { parseManifest, sha256Hex, signReceipt, verifyChain, type ManifestEntry, type Receipt } from '../../common/evidence/index.js';
import type { ArchiveStore } from './archive-store.js';
import type { Indexes } from './hearing-index.js';
import type { HubKey } from './hub-key.js';

// Whole-file uploads of the two small documents: manifest.jsonl (must verify as a chain and extend
// what the hub has, never rewrite it) and book.json (replaced; earlier versions kept hidden).

export const MANIFEST = 'manifest.jsonl';
export const BOOK = 'book.json';

export type DocumentOutcome =
  | { kind: 'done'; receipt: Receipt; entries?: number }
  | { kind: 'refused'; status: 403 | 409 | 422; code: ArchiveErrorCode; message: string; offset?: number };

export function createDocumentUploads(deps: { store: ArchiveStore; indexes: Indexes; key: HubKey }) {
  const { store, indexes } = deps;

  async function record(hearing: string, file: string, bytes: Buffer): Promise<Receipt> {
    const sha256 = sha256Hex(bytes);
    const idx = (await indexes.load(hearing))!;
    const known = idx.files[file];
    if (known?.sha256 === sha256) return known.receipt; // the same version again: the same receipt
    if (file === BOOK && known) await store.put(hearing, `.book-${known.sha256}.json`, (await store.get(hearing, BOOK))!);
    await store.put(hearing, file, bytes);
    const receivedAt = new Date().toISOString();
    const receipt = signReceipt({ hearing, file, sha256, bytes: bytes.length, receivedAt }, deps.key.privateKeyPem);
    idx.files[file] = { sha256, bytes: bytes.length, receivedAt, receipt };
    await indexes.save(idx);
    return receipt;
  }

  /** `offset` (optional): the body is the tail after the archive's first `offset` bytes (append-only). */
  async function putManifest(hearing: string, room: string, body: Buffer, offset?: number): Promise<DocumentOutcome> {
    const refuse = (status: 403 | 409 | 422, code: ArchiveErrorCode, message: string, at?: number) =>
      ({ kind: 'refused', status, code, message, offset: at }) as const;
    return indexes.locked(hearing, async () => {
      const old = await store.get(hearing, MANIFEST);
      if (offset !== undefined && offset !== (old?.length ?? 0))
        return refuse(
          409,
          'OFFSET_MISMATCH',
          `the archived manifest has ${old?.length ?? 0} bytes, the tail starts at ${offset}`,
          old?.length ?? 0,
        );
      const bytes = offset ? Buffer.concat([old!, body]) : body;
      const { entries, errors } = parseManifest(bytes.toString('utf8'));
      if (errors.length > 0) return refuse(422, 'MANIFEST_UNREADABLE', `manifest line ${errors[0]!.line}: ${errors[0]!.message}`);
      const chain = verifyChain(entries);
      if (!chain.ok) return refuse(422, 'MANIFEST_INVALID', `manifest entry ${chain.firstBad!.seq}: ${chain.firstBad!.reason}`);
      const open = entries[0] as Extract<ManifestEntry, { kind: 'open' }>;
      if (open.hearing !== hearing) return refuse(422, 'MANIFEST_INVALID', `manifest is for hearing "${open.hearing}", not "${hearing}"`);
      if (open.room !== room) return refuse(403, 'WRONG_ROOM', `manifest was opened by room "${open.room}", the caller is "${room}"`);
      if (old) {
        const before = parseManifest(old.toString('utf8')).entries;
        if (entries.length < before.length)
          return refuse(409, 'MANIFEST_REWRITE', `the archive holds ${before.length} entries, this manifest only ${entries.length}`);
        const differs = before.findIndex((e, i) => e.hash !== entries[i]!.hash);
        if (differs >= 0)
          return refuse(409, 'MANIFEST_REWRITE', `entry ${differs} differs from the archived one: a manifest may only be extended`);
      }
      return { kind: 'done', receipt: await record(hearing, MANIFEST, bytes), entries: entries.length } as const;
    });
  }

  async function putBook(hearing: string, bytes: Buffer): Promise<DocumentOutcome> {
    try {
      const value: unknown = JSON.parse(bytes.toString('utf8'));
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not a JSON object');
    } catch (err) {
      return { kind: 'refused', status: 422, code: 'BOOK_UNREADABLE', message: `book.json: ${(err as Error).message}` };
    }
    return indexes.locked(hearing, async () => ({ kind: 'done', receipt: await record(hearing, BOOK, bytes) }) as const);
  }

  return { putManifest, putBook };
}
export type DocumentUploads = ReturnType<typeof createDocumentUploads>;
