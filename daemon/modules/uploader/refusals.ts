import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../../common/log.js';
import type { AlarmEvent, EventBus } from '../events/event-bus.js';
import { refusalOf } from './hub-answer.js';
import type { QueueItem, Refusal, UploadQueue } from './upload-queue.js';

// Files the hub refused for a reason the room cannot fix by sending again (hub-answer.ts): parked in
// the persisted queue with the hub's code and message, kept on disk, retried once per `retryMs` — or at
// once when the file changed (a new manifest version, a rewritten book). One alarm per file, so a
// second refusal never hides the first; it clears when the hub later accepts that file (or the file is
// gone). Also the link's alarm: the hub does not accept the room's secret (401).

export const fileOf = (i: { hearing: string; file: string }) => `${i.hearing}/${i.file}`;
const LINK = '';
/** The summary lists at most this many refused files (`refusedFiles` counts them all). */
const LISTED = 100;

export function createRefusals(deps: {
  queue: () => UploadQueue | undefined;
  recordings: string;
  retryMs: number;
  bus?: EventBus;
  log: Logger;
}) {
  const alarms = new Map<string, AlarmEvent>();
  const fileState = (i: QueueItem) =>
    stat(join(deps.recordings, i.hearing, i.file)).then(
      (s) => ({ size: s.size, mtimeMs: s.mtimeMs }),
      () => ({ size: -1, mtimeMs: 0 }),
    );

  function raise(key: string, a: Omit<AlarmEvent, 'source' | 'active'>) {
    const known = alarms.get(key);
    if (known && known.code === a.code && known.message === a.message) return;
    const ev: AlarmEvent = { source: 'uploader', ...a, active: true };
    alarms.set(key, ev);
    deps.log.error({ code: a.code, file: a.file, hubCode: a.hubCode }, `UPLOAD ALARM: ${a.message}`);
    deps.bus?.emit('alarm', ev);
  }
  function clear(key: string) {
    const known = alarms.get(key);
    if (!known) return;
    alarms.delete(key);
    deps.bus?.emit('alarm', { ...known, active: false });
  }
  function alarmFor(item: QueueItem, r: Refusal) {
    const file = fileOf(item);
    const message =
      r.code === 'RECEIPT_INVALID'
        ? `Biên nhận của trung tâm cho ${file} không hợp lệ / The hub's receipt for ${file} does not verify: ${r.message}`
        : `Trung tâm từ chối nhận ${file} / The hub refused ${file}: ${r.status} ${r.code} — ${r.message}`;
    raise(file, { code: r.code === 'RECEIPT_INVALID' ? 'RECEIPT_INVALID' : 'UPLOAD_REFUSED', message, file, hubCode: r.code });
  }

  return {
    /** At start: the refusals persisted in the queue are alarms again, before any retry. */
    restore() {
      for (const i of deps.queue()?.refused() ?? []) alarmFor(i, i.refused!);
    },
    /** Park the file: marked refused in the queue, retried after `retryMs` or when it changes. */
    async park(item: QueueItem, err: unknown) {
      item.refused = { ...refusalOf(err), at: new Date().toISOString(), ...(await fileState(item)) };
      item.resends = 0;
      item.notBefore = Date.now() + deps.retryMs;
      deps.queue()?.touch();
      deps.log.warn(
        { file: fileOf(item), code: item.refused.code, retryAt: new Date(item.notBefore).toISOString() },
        'upload refused by the hub; file parked, the others go on',
      );
      alarmFor(item, item.refused);
    },
    /** A parked file that changed since its refusal is due again (`due`: when). */
    async retryIfChanged(item: QueueItem, due?: number): Promise<boolean> {
      const r = item.refused;
      if (!r || (item.notBefore ?? 0) <= Date.now()) return false;
      const now = await fileState(item);
      if (now.size === r.size && now.mtimeMs === r.mtimeMs) return false;
      item.notBefore = due;
      deps.queue()?.touch();
      deps.log.info({ file: fileOf(item), code: r.code }, 'refused file changed; sending it again');
      return true;
    },
    /** The hub took the file (or it is gone): its alarm clears. */
    settled: (item: QueueItem) => clear(fileOf(item)),
    locked: (err: unknown) => {
      const r = refusalOf(err);
      raise(LINK, {
        code: 'UPLOAD_UNAUTHORIZED',
        message: `Trung tâm không chấp nhận khóa của phòng / The hub does not accept the room's credential (enrollment): ${r.status} ${r.code} — ${r.message}`,
        hubCode: r.code,
      });
    },
    linkOk: () => clear(LINK),
    alarms: () => [...alarms.values()],
    /** For the summary: refused files apart from the backlog, in the hub's words. */
    view() {
      const parked = deps.queue()?.refused() ?? [];
      return {
        refusedFiles: parked.length,
        refusedBytes: parked.reduce((s, i) => s + i.bytes, 0),
        refused: parked.slice(0, LISTED).map((i) => ({
          hearing: i.hearing,
          file: i.file,
          status: i.refused!.status,
          code: i.refused!.code,
          message: i.refused!.message,
          at: i.refused!.at,
          retryAt: new Date(i.notBefore ?? Date.now()).toISOString(),
        })),
      };
    },
  };
}
export type Refusals = ReturnType<typeof createRefusals>;
