import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../common/log.js';
import type { ArchiveStore } from './archive-store.js';
import { BOOK, MANIFEST, createDocumentUploads, type DocumentUploads } from './document-upload.js';
import { createFileUploads, type FileUploads } from './file-upload.js';
import { DIR_MODE, createFsArchiveStore } from './fs-archive-store.js';
import { createIndexes, type Indexes } from './hearing-index.js';
import { createIndexListing, registryStamp } from './hearing-index-listing.js';
import { loadOrCreateHubKey, type HubKey } from './hub-key.js';
import { mayWrite, type HearingParticipation } from './ownership.js';
import type { RoomRegistry } from '../enrollment/registry-contract.js';
import { registryExport } from './registry-export.js';
import { bookSummary, verifyHearing } from './verify-hearing.js';

// The hub's archive: rooms upload their recordings here, officers list, verify and play them.

export interface ArchiveDeps {
  /** Where the files go (filesystem backend). */
  dir: string;
  /** The hub key file (`<stateDir>/keys/hub-ed25519.pem`). */
  keyFile: string;
  maxChunkBytes: number;
  /** Per room: archived + declared bytes of all its hearings. */
  roomQuotaBytes: number;
  logger: Logger;
  /** Another backend (S3-compatible later); default: the filesystem under `dir`. */
  store?: ArchiveStore;
  /** The hub's hearings: a room writes only `<hearing>.<itself>` of one it took part in. */
  hearings: HearingParticipation;
  /** Rooms and their enrolled keys: a hearing verifies only under its room's key at that time (none: nothing verifies). */
  registry: RoomRegistry | undefined;
  /** Where the per-hearing indexes live: PostgreSQL with a hub store (hearing-index-pg.ts); default: beside the files. */
  indexes?: Indexes;
}

export function createArchive(deps: ArchiveDeps) {
  const store = deps.store ?? createFsArchiveStore(deps.dir);
  const indexes = deps.indexes ?? createIndexes(store);
  // Each hearing's line is kept with its index until that index or the room's keys in the registry change.
  const listing = createIndexListing<ListLine>(indexes, deps.registry, { format: LIST_LINE_FORMAT, logger: deps.logger });
  let key: HubKey | undefined;
  let files: FileUploads | undefined;
  let docs: DocumentUploads | undefined;
  const ready = () => {
    if (!files || !docs || !key) throw new Error('archive not started');
    return { files, docs, key };
  };

  async function view(hearing: string) {
    const index = await indexes.load(hearing);
    if (!index) return undefined;
    const [manifest, book] = await Promise.all([store.get(hearing, MANIFEST), store.get(hearing, BOOK)]);
    const verification = verifyHearing(index, manifest, book, deps.registry);
    const open = verification.entries[0];
    const keyRoom = open?.kind === 'open' ? open.room : ''; // the room key-binding.ts asked the registry about
    // Taken in the same tick as the verification, so it names the registry that verification saw.
    const registry = registryStamp(deps.registry, keyRoom);
    return { index, verification, book: bookSummary(book), keyRoom, registry };
  }

  return {
    store,
    async start() {
      await mkdir(deps.dir, { recursive: true, mode: DIR_MODE });
      const loaded = await loadOrCreateHubKey(deps.keyFile);
      key = loaded;
      files = createFileUploads({ store, indexes, key, maxChunkBytes: deps.maxChunkBytes, roomQuotaBytes: deps.roomQuotaBytes });
      docs = createDocumentUploads({ store, indexes, key });
      deps.logger.info({ dir: deps.dir, keyFile: deps.keyFile, created: loaded.created }, 'archive ready');
    },
    async stop() {},
    publicKey: () => ready().key.publicKeyRaw.toString('base64'),
    /** The registry's rooms and keys, signed with the hub's receipt key (`reception verify --registry`). */
    exportRegistry: () => {
      if (!deps.registry) throw new Error('no room registry');
      return registryExport(deps.registry, ready().key.privateKeyPem);
    },
    /** Whether `room` may write archive hearing `hearing` (ownership.ts); binds it to the room on first use. */
    async claim(hearing: string, room: string): Promise<{ ok: true } | { ok: false; message: string }> {
      const may = mayWrite(hearing, room, deps.hearings);
      if (!may.ok) return may;
      return indexes.locked(hearing, async () => {
        const idx = await indexes.load(hearing);
        if (idx) return idx.room === room ? { ok: true } : { ok: false, message: `hearing "${hearing}" belongs to room "${idx.room}"` };
        await indexes.save(indexes.fresh(hearing, room));
        deps.logger.info({ hearing, room }, 'archive: new hearing');
        return { ok: true };
      });
    },
    /** Whether `room` may write `hearing` (without binding it): HEAD asks before any upload. */
    mayWrite: (hearing: string, room: string) => mayWrite(hearing, room, deps.hearings),
    owner: async (hearing: string) => (await indexes.load(hearing))?.room,
    offsetOf: (h: string, name: string) => ready().files.offsetOf(h, name),
    patch: (...a: Parameters<FileUploads['patch']>) => ready().files.patch(...a),
    putManifest: (...a: Parameters<DocumentUploads['putManifest']>) => ready().docs.putManifest(...a),
    putBook: (...a: Parameters<DocumentUploads['putBook']>) => ready().docs.putBook(...a),
    view,
    async list() {
      const out = await listing.list(async (hearing) => {
        const v = await view(hearing);
        if (!v) return undefined;
        const { verification: ver } = v;
        const entry: ListLine = {
          hearing,
          room: v.index.room,
          createdAt: v.index.createdAt,
          state: ver.state,
          reasons: ver.reasons,
          segments: ver.segments.length,
          bytes: Object.values(v.index.files).reduce((s, f) => s + f.bytes, 0),
          durationMs: ver.durationMs,
          start: ver.start,
          end: ver.end,
          closed: ver.closed,
          keyFingerprint: ver.keyFingerprint,
          book: v.book,
        };
        return { entry, keyRoom: v.keyRoom, registry: v.registry };
      });
      return out.sort((a, b) => (b.start ?? b.createdAt).localeCompare(a.start ?? a.createdAt));
    },
    health: () => ({ state: key ? ('online' as const) : ('stopped' as const), dir: deps.dir }),
  };
}
export type Archive = ReturnType<typeof createArchive>;

/** Bump when ListLine changes: lines kept in an older format are recomputed. */
const LIST_LINE_FORMAT = 'list-line-1';

/** One hearing in the archive's listing (GET /archive): its index and verification, summed up. */
interface ListLine {
  hearing: string;
  room: string;
  createdAt: string;
  state: ReturnType<typeof verifyHearing>['state'];
  reasons: string[];
  segments: number;
  bytes: number;
  durationMs: ReturnType<typeof verifyHearing>['durationMs'];
  start: ReturnType<typeof verifyHearing>['start'];
  end: ReturnType<typeof verifyHearing>['end'];
  closed: ReturnType<typeof verifyHearing>['closed'];
  keyFingerprint: ReturnType<typeof verifyHearing>['keyFingerprint'];
  book: ReturnType<typeof bookSummary>;
}

export const defaultKeyFile = (stateDir: string) => join(stateDir, 'keys', 'hub-ed25519.pem');
