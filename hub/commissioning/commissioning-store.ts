import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { COMMISSIONING_STATES, type CommissioningListItem, type CommissioningUpload } from '../../common/contracts/commissioning.js';
import { HUB_API } from '../../common/contracts/route.js';
import type { Logger } from '../../common/log.js';
import { openLowdbDocument } from '../../common/storage/lowdb-document.js';
import { writePrivateFile } from '../../common/storage/private-file.js';

// Each room's last commissioning report: the summary in <stateDir>/commissioning/index.json (lowdb), the HTML
// beside it (<room>.html). Self-test hearings the rooms declared are kept too: the archive accepts a room's
// recording of its own self-test (a local hearing) as if it were a hub hearing it took part in.

const Entry = Type.Object({
  state: Type.Union(COMMISSIONING_STATES.map((s) => Type.Literal(s))),
  at: Type.String(),
  receivedAt: Type.String(),
  checksPassed: Type.Integer(),
  checksFailed: Type.Integer(),
});
const Doc = Type.Object({
  rooms: Type.Record(Type.String(), Entry),
  selfTests: Type.Array(Type.Object({ room: Type.String(), hearing: Type.String(), at: Type.String() })),
});
type Doc = Static<typeof Doc>;
/** Self-test hearings kept per room (the archive's ownership check reads them). */
export const SELF_TESTS_PER_ROOM = 20;

export interface CommissioningStore {
  save(room: string, upload: CommissioningUpload): Promise<CommissioningListItem>;
  list(): CommissioningListItem[];
  reportHtml(room: string): Promise<string | undefined>;
  addSelfTest(room: string, hearing: string): Promise<void>;
  /** For the archive: `hearing` is a self-test `room` declared. */
  tookPart(hearing: string, room: string): boolean;
}

export const reportUrl = (room: string) => `${HUB_API}/fleet/rooms/${encodeURIComponent(room)}/commissioning/report.html`;

export async function openCommissioningStore(opts: { stateDir?: string; logger: Logger }): Promise<CommissioningStore> {
  const dir = opts.stateDir ? join(opts.stateDir, 'commissioning') : undefined;
  const empty = (): Doc => ({ rooms: {}, selfTests: [] });
  const html = new Map<string, string>(); // without a stateDir (tests): memory only
  let doc: { data: Doc; write(): Promise<void> } = { data: empty(), write: async () => {} };
  if (dir) {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const opened = await openLowdbDocument(join(dir, 'index.json'), Doc, empty, opts.logger, 'commissioning index is corrupt');
    doc = opened.db;
  }
  const item = (room: string, e: Static<typeof Entry>): CommissioningListItem => ({
    room,
    state: e.state,
    at: e.at,
    checksPassed: e.checksPassed,
    checksFailed: e.checksFailed,
    reportUrl: reportUrl(room),
  });
  const tookPart = (hearing: string, room: string) => doc.data.selfTests.some((s) => s.room === room && s.hearing === hearing);
  return {
    async save(room, upload) {
      const entry = {
        state: upload.state,
        at: upload.at,
        receivedAt: new Date().toISOString(),
        checksPassed: upload.checks.filter((c) => c.result === 'pass').length,
        checksFailed: upload.checks.filter((c) => c.result === 'fail').length,
      };
      if (dir) await writePrivateFile(join(dir, `${room}.html`), upload.html, 0o640);
      else html.set(room, upload.html);
      doc.data.rooms[room] = entry;
      await doc.write();
      return item(room, entry);
    },
    list: () =>
      Object.entries(doc.data.rooms)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([room, e]) => item(room, e)),
    async reportHtml(room) {
      if (!doc.data.rooms[room]) return undefined;
      return dir ? readFile(join(dir, `${room}.html`), 'utf8').catch(() => undefined) : html.get(room);
    },
    async addSelfTest(room, hearing) {
      if (tookPart(hearing, room)) return;
      const mine = doc.data.selfTests.filter((s) => s.room === room);
      const drop = new Set(mine.slice(0, Math.max(0, mine.length - SELF_TESTS_PER_ROOM + 1)));
      doc.data.selfTests = doc.data.selfTests.filter((s) => !drop.has(s));
      doc.data.selfTests.push({ room, hearing, at: new Date().toISOString() });
      await doc.write();
    },
    tookPart,
  };
}
