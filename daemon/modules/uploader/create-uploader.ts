import { join } from 'node:path';
import { errorMessage } from '../../../common/errors.js';
import type { Logger } from '../../../common/log.js';
import type { AlarmEvent, EventBus, UploaderEvent } from '../events/event-bus.js';
import { createHubClient, HubError } from './hub-client.js';
import { appendReceipt, pinKey, readPinnedKey, readReceipts } from './receipt-book.js';
import { listHearings, pendingOf } from './scan.js';
import { openUploadQueue, type QueueItem, type UploadQueue } from './upload-queue.js';
import { FileGoneError, ForgedReceiptError, uploadItem, type UploadContext } from './upload-file.js';

// Forwards closed segments, manifest versions and book.json to the hub archive, in order, resuming
// partial uploads, backing off while the hub is away. A file counts as forwarded only once a receipt
// that verifies with the pinned hub key is in `<hearing>/receipts.jsonl`.

export interface UploaderDeps {
  recordings: string;
  stateDir: string;
  /** Hub base URL, e.g. http://hub:8090. */
  hubUrl: string;
  /** The room's secret at the hub (gateway.roomSecret). */
  secret: string;
  chunkBytes: number;
  maxBackoffMs: number;
  /** Least time between two uploads of one hearing's growing manifest (a close goes at once). */
  manifestIntervalMs: number;
  rescanMs: number;
  bus?: EventBus;
  logger: Logger;
  /** Test hook: where each file upload (re)starts. */
  onResume?: UploadContext['onResume'];
}

export type UploaderSummary = UploaderEvent & { hubUrl: string; forwardedFiles: number; bytesSent: number; lastReceiptAt?: string; alarms: AlarmEvent[] };

export function createUploader(deps: UploaderDeps) {
  const log = deps.logger;
  const client = createHubClient({ baseUrl: deps.hubUrl, secret: deps.secret });
  const manifestBytes = new Map<string, number>();
  const lastManifestAt = new Map<string, number>();
  const alarms = new Map<string, AlarmEvent>();
  let queue: UploadQueue | undefined;
  let hubKey: Buffer | undefined;
  let state: UploaderEvent['state'] = 'stopped';
  let stopped = true;
  let failures = 0;
  let forwarded = 0;
  let lastError: string | undefined;
  let lastReceiptAt: string | undefined;
  let wakeUp: (() => void) | undefined;
  let loopDone: Promise<void> | undefined;
  let rescanTimer: NodeJS.Timeout | undefined;
  let lastEmit = 0;

  const backoff = (n: number) => Math.min(deps.maxBackoffMs, 500 * 2 ** Math.min(n, 16)) * (0.8 + Math.random() * 0.4);
  const sleep = (ms: number) => new Promise<void>((r) => {
    const t = setTimeout(r, ms);
    wakeUp = () => (clearTimeout(t), r());
  });
  const kick = () => wakeUp?.();

  function summary(): UploaderSummary {
    const items = queue?.items() ?? [];
    const oldest = items.reduce((m, i) => Math.min(m, Date.parse(i.since)), Date.now());
    return {
      state, backlogFiles: items.length, backlogBytes: items.reduce((s, i) => s + i.bytes, 0), oldestAgeS: Math.round((Date.now() - oldest) / 1000),
      ...(lastError ? { lastError } : {}), hubUrl: deps.hubUrl, forwardedFiles: forwarded, bytesSent: client.stats.bytesSent, lastReceiptAt, alarms: [...alarms.values()],
    };
  }
  const emit = (force = false) => {
    if (!deps.bus || (!force && Date.now() - lastEmit < 1000)) return;
    lastEmit = Date.now();
    const { hubUrl: _u, forwardedFiles: _f, bytesSent: _b, lastReceiptAt: _r, alarms: _a, ...ev } = summary();
    deps.bus.emit('uploader', ev);
  };
  const setState = (s: UploaderEvent['state']) => (s !== state ? ((state = s), emit(true)) : undefined);
  function alarm(code: string, message: string, active: boolean) {
    if (active === alarms.has(code) && !active) return;
    const a: AlarmEvent = { source: 'uploader', code, message, active };
    if (active) alarms.set(code, a);
    else alarms.delete(code);
    if (active) log.error({ code }, `UPLOAD ALARM: ${message}`);
    deps.bus?.emit('alarm', a);
  }

  function enqueue(item: Omit<QueueItem, 'attempts'>, notBefore?: number) {
    if (!queue) return;
    if (queue.add(item) && notBefore) queue.get(item.hearing, item.file)!.notBefore = notBefore;
    kick();
    emit();
  }
  const manifestDue = (hearing: string, now = Date.now()) => (lastManifestAt.get(hearing) ?? 0) + deps.manifestIntervalMs;

  async function scan(docsOnly = false) {
    for (const hearing of await listHearings(deps.recordings)) {
      if (!manifestBytes.has(hearing)) {
        const r = (await readReceipts(join(deps.recordings, hearing), hubKey)).get('manifest.jsonl')?.at(-1);
        if (r) manifestBytes.set(hearing, r.bytes);
      }
      for (const p of await pendingOf(deps.recordings, hearing, hubKey, docsOnly)) enqueue(p, p.kind === 'manifest' ? manifestDue(hearing) : undefined);
    }
  }

  async function once(item: QueueItem): Promise<void> {
    hubKey ??= await pinKey(deps.stateDir, await client.key()); // trust on first use (enrollment replaces it)
    const r = await uploadItem({ client, hubKey, recordings: deps.recordings, chunkBytes: deps.chunkBytes, manifestBytes, onResume: deps.onResume }, item);
    await appendReceipt(join(deps.recordings, item.hearing), r);
    queue!.remove(item.hearing, item.file);
    if (item.kind === 'manifest') lastManifestAt.set(item.hearing, Date.now());
    forwarded++;
    lastReceiptAt = r.receivedAt;
    log.debug({ hearing: item.hearing, file: item.file, bytes: r.bytes }, 'forwarded');
  }

  async function loop() {
    while (!stopped) {
      const item = queue!.next();
      if (!item) {
        setState('idle');
        const due = queue!.items().reduce((m, i) => Math.min(m, i.notBefore ?? Infinity), Infinity);
        await sleep(Number.isFinite(due) ? Math.max(10, due - Date.now()) : 60_000);
        continue;
      }
      setState('uploading');
      try {
        await once(item);
        failures = 0;
        lastError = undefined;
        alarm('UPLOAD_REFUSED', '', false);
        alarm('RECEIPT_INVALID', '', false);
        emit();
      } catch (err) {
        lastError = `${item.hearing}/${item.file}: ${errorMessage(err)}`;
        if (err instanceof FileGoneError) {
          log.warn({ err: lastError }, 'queued file vanished; dropped from the queue');
          queue!.remove(item.hearing, item.file);
        } else if (err instanceof ForgedReceiptError || (err instanceof HubError && err.status >= 400 && err.status < 500 && err.status !== 408 && err.status !== 429)) {
          // This file is refused (or its receipt is not trustworthy): retry it later, let the others pass.
          item.attempts++;
          item.notBefore = Date.now() + backoff(item.attempts);
          item.lastError = lastError;
          queue!.touch();
          alarm(err instanceof ForgedReceiptError ? 'RECEIPT_INVALID' : 'UPLOAD_REFUSED', lastError, true);
        } else {
          failures++; // the hub is away: wait, then the same item again (order is kept)
          setState('waiting');
          log.warn({ err: lastError, retryInMs: Math.round(backoff(failures)) }, 'hub unreachable; will retry');
          await sleep(backoff(failures));
        }
        emit(true);
      }
    }
  }

  return {
    async start() {
      queue = await openUploadQueue(join(deps.stateDir, 'upload-queue.json'));
      hubKey = await readPinnedKey(deps.stateDir);
      stopped = false;
      await scan();
      deps.bus?.on('recording', (ev) => {
        const now = Date.now();
        if (ev.kind === 'segment') enqueue({ hearing: ev.hearing, file: ev.file, kind: 'segment', bytes: ev.bytes, since: new Date(now).toISOString() });
        if (ev.kind === 'segment' || ev.kind === 'gap' || ev.kind === 'open' || ev.kind === 'close') {
          enqueue({ hearing: ev.hearing, file: 'manifest.jsonl', kind: 'manifest', bytes: 0, since: new Date(now).toISOString() }, ev.kind === 'close' ? undefined : manifestDue(ev.hearing));
          const m = queue?.get(ev.hearing, 'manifest.jsonl');
          if (m && ev.kind === 'close') m.notBefore = undefined;
        }
        if (ev.kind === 'close') void scan(true).catch(() => {}); // the book may have changed with the close
      });
      rescanTimer = setInterval(() => void scan().catch((err) => log.warn({ err }, 'rescan failed')), deps.rescanMs);
      rescanTimer.unref();
      loopDone = loop();
      log.info({ hubUrl: deps.hubUrl, backlog: queue.items().length, pinnedKey: !!hubKey }, 'uploader started');
    },
    async stop() {
      stopped = true;
      if (rescanTimer) clearInterval(rescanTimer);
      kick();
      await loopDone;
      await queue?.close();
      setState('stopped');
    },
    summary,
    /** Re-scan now (tests, after the recorder wrote outside events). */
    rescan: (docsOnly = false) => scan(docsOnly).then(kick),
    kick,
    health: () => ({ state: stopped ? ('stopped' as const) : failures > 0 ? ('offline' as const) : ('online' as const), since: new Date().toISOString(), lastError, reconnects: failures }),
  };
}
export type Uploader = ReturnType<typeof createUploader>;
