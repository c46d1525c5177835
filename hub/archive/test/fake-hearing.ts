import { randomBytes } from 'node:crypto';
import { mkdir, writeFile, appendFile } from 'node:fs/promises';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  generateApplianceKey,
  publicKeyRawFromPem,
  sealEntry,
  serializeEntry,
  sha256Hex,
  type ApplianceKey,
  type EntryDraft,
  type ManifestEntry,
} from '../../../common/evidence/index.js';
import { silentLogger } from '../../../common/log.js';
import type { ArchiveConfig } from '../../config/schema.js';
import { createHub } from '../../create-hub.js';
import { sha256Hex as sha } from '../../config/auth.js';
import { enrollInProcess } from '../../test/enroll-room.js';

// A recorded hearing as the recorder leaves it (fake segment bytes, a real signed manifest), and an
// in-process hub with an archive, for the archive / uploader / retention tests and the benchmark.

export const OFFICER = 'officer-token';
/** A token with the officer role only (not archivist, not technician). */
export const ONLY_OFFICER = 'only-officer-token';
export const tmp = (p: string) => mkdtempSync(join(tmpdir(), p));

/** The appliance key a box keeps in its state dir (`<state>/keys/appliance-ed25519.pem`, made at enrollment). */
export function applianceKeyOf(boxStateDir: string): ApplianceKey {
  const privateKeyPem = readFileSync(join(boxStateDir, 'keys', 'appliance-ed25519.pem'), 'utf8');
  return { privateKeyPem, publicKeyRaw: publicKeyRawFromPem(privateKeyPem) };
}

export class FakeHearing {
  entries: ManifestEntry[] = [];
  segments: { file: string; bytes: Buffer }[] = [];
  private clock: number;
  constructor(
    readonly dir: string,
    readonly hearing: string,
    readonly room: string,
    readonly key: ApplianceKey = generateApplianceKey(),
    start = Date.now(),
  ) {
    this.clock = start;
  }
  private iso = (ms: number) => new Date(ms).toISOString();
  manifestText = () => this.entries.map(serializeEntry).join('');
  private async seal(draft: EntryDraft) {
    const e = sealEntry(draft, this.entries.at(-1) ?? null, this.key.privateKeyPem);
    this.entries.push(e);
    await appendFile(join(this.dir, this.hearing, 'manifest.jsonl'), serializeEntry(e));
    return e;
  }
  async open() {
    await mkdir(join(this.dir, this.hearing), { recursive: true });
    await this.seal({
      kind: 'open',
      hearing: this.hearing,
      at: this.iso(this.clock),
      room: this.room,
      publicKey: this.key.publicKeyRaw.toString('base64'),
      start: this.iso(this.clock),
    });
    return this;
  }
  /** Writes seg-NNNNN.mkv of `bytes` random bytes covering `ms` of time, and its manifest entry. */
  async segment(bytes: number, ms = 10_000) {
    const file = `seg-${String(this.segments.length).padStart(5, '0')}.mkv`;
    const data = randomBytes(bytes);
    await writeFile(join(this.dir, this.hearing, file), data);
    this.segments.push({ file, bytes: data });
    const start = this.clock;
    this.clock += ms;
    await this.seal({
      kind: 'segment',
      hearing: this.hearing,
      at: this.iso(this.clock),
      file,
      sha256: sha256Hex(data),
      bytes,
      durationMs: ms,
      start: this.iso(start),
      end: this.iso(this.clock),
    });
    return file;
  }
  async book(record: object) {
    const text = JSON.stringify(record);
    await writeFile(join(this.dir, this.hearing, 'book.json'), text);
    await this.seal({ kind: 'book', hearing: this.hearing, at: this.iso(this.clock), file: 'book.json', sha256: sha256Hex(text) });
  }
  async close() {
    await this.seal({ kind: 'close', hearing: this.hearing, at: this.iso(this.clock), end: this.iso(this.clock) });
  }
}

export const sampleBook = {
  v: 1,
  receivedAt: '2025-03-01T08:00:00Z',
  officer: { name: 'Nguyễn Văn A', unit: 'Ban Tiếp công dân tỉnh' },
  citizen: { enc: 'aes-256-gcm', iv: 'x', tag: 'y', data: 'z' },
  classification: 'denunciation',
  summary: 'Tố cáo việc cấp phép xây dựng',
  handling: 'Chuyển Thanh tra tỉnh',
  participants: { rooms: ['room-demo'], officers: ['Nguyễn Văn A'] },
  updatedAt: '2025-03-01T09:00:00Z',
};

// Boxes enrolled per hub state dir (a hub restarted on the same state dir keeps its registry, so its boxes),
// and their tokens per hub URL, for clients that know only the URL (daemon/modules/uploader/test/fixture.ts).
const boxesByState = new Map<string, Map<string, { key: ApplianceKey; token: string }>>();
const tokensByUrl = new Map<string, string>();
/** The enrolled token of `room`'s box at the archive hub listening at `hubUrl` ('' when none enrolled). */
export const roomTokenAt = (hubUrl: string, room = 'room-demo') => tokensByUrl.get(`${hubUrl} ${room}`) ?? '';

export async function startArchiveHub(stateDir: string, port = 0, maxChunkMb = 4, archive: Partial<ArchiveConfig> = {}) {
  const hub = createHub({
    host: '127.0.0.1',
    port,
    publicUrl: '',
    tokens: [
      { name: 'officer', sha256: sha(OFFICER), roles: ['officer', 'supervisor', 'archivist'] },
      { name: 'only-officer', sha256: sha(ONLY_OFFICER), roles: ['officer'] },
    ],
    allowLoopbackOfficers: false,
    ice: { hostAddresses: ['127.0.0.1'], useIpv6: false, stunUrls: [], portMin: 0, portMax: 0 },
    stateDir,
    archive: { enabled: true, dir: '', maxChunkMb, ...archive },
    logger: silentLogger(),
  });
  const built = await hub.start();
  const boxes = boxesByState.get(stateDir) ?? new Map<string, { key: ApplianceKey; token: string }>();
  boxesByState.set(stateDir, boxes);
  for (const [r, b] of boxes) tokensByUrl.set(`${hub.address()} ${r}`, b.token);
  /** The room's box, enrolled once by a one-time code (hub/test/enroll-room.ts): its appliance key and room token. */
  async function box(room = 'room-demo') {
    let b = boxes.get(room);
    if (!b) boxes.set(room, (b = await enrollInProcess(built.enrollment, room)));
    tokensByUrl.set(`${hub.address()} ${room}`, b.token);
    return b;
  }
  for (const r of ['room-demo', 'room-2']) if (!built.registry.room(r)) await box(r); // the rooms hub hearings name, enrolled
  /** A hub hearing `rooms` took part in (created, then ended), its id. */
  function hubHearing(rooms: string[] = ['room-demo']) {
    const h = built.store.create('Phiên thử / Test hearing', rooms);
    built.store.end(h.id);
    return h.id;
  }
  /**
   * `room`'s recording of a hub hearing it took part in (`<hearing>.<room>`), signed with its enrolled key,
   * as its recorder leaves it in `dir` (call open()). `hearing`: an existing hub hearing; `key`: another key.
   */
  async function recording(dir: string, room = 'room-demo', opts: { hearing?: string; key?: ApplianceKey } = {}) {
    const key = opts.key ?? (await box(room)).key;
    return new FakeHearing(dir, `${opts.hearing ?? hubHearing([room])}.${room}`, room, key);
  }
  return { hub, url: hub.address(), archive: built.archive!, registry: built.registry, box, hubHearing, recording, stop: () => hub.stop() };
}
