import { join } from 'node:path';
import { errorMessage } from '../../../common/errors.js';
import type { Logger } from '../../../common/log.js';
import { retryDelay } from '../../../common/supervise/backoff.js';
import { createWaiter, Retries } from '../../../common/supervise/retries.js';
import type { AlarmEvent, EventBus, UploaderEvent } from '../events/event-bus.js';
import { openHubLink, type HubLink } from '../../../common/enrollment/hub-link.js';
import { createHubClient, HubError, type HubClient } from './hub-client.js';
import { RESEND_LIMIT, verdictOf } from './hub-answer.js';
import { appendReceipt, readPinnedKey } from './receipt-book.js';
import { createRefusals, fileOf } from './refusals.js';
import { createRescan } from './rescan.js';
import { createScanner } from './scan.js';
import { openUploadQueue, type QueueItem, type UploadQueue } from './upload-queue.js';
import { FileGoneError, uploadItem, type UploadContext } from './upload-file.js';

// Forwards closed segments, manifest versions and book.json to the hub archive, in order, resuming
// partial uploads, backing off while the hub is away (common/supervise: 1 s doubling to maxBackoffMs, ±20 %). A file counts as forwarded only once a receipt
// that verifies with the pinned hub key is in `<hearing>/receipts.jsonl`. What a failure means comes
// from the hub's error code (hub-answer.ts); a refused file is parked, the others go on (refusals.ts).

export interface UploaderDeps {
  recordings: string;
  stateDir: string;
  /** Hub base URL, e.g. http://hub:8090, when the room is not enrolled (the enrollment's URL wins). */
  hubUrl: string;
  /** The room's configured secret (gateway.roomSecret, being retired); the enrollment's token wins. */
  secret: string;
  chunkBytes: number;
  maxBackoffMs: number;
  /** Least time between two uploads of one hearing's growing manifest (a close goes at once). */
  manifestIntervalMs: number;
  rescanMs: number;
  bus?: EventBus;
  logger: Logger;
  /** A refused file is sent again after this long (or at once when it changes); default 1 h. */
  refusedRetryMs?: number;
  /**
   * Uploads yield to live media (issue 12 item 2): while a hearing is being recorded here (between its
   * `open` and `close`), segments wait — they would share the hub link with the hearing's live picture and
   * sound, and on a poor link a TCP upload fills the same queue. Manifests and the book still go (small).
   * Default true; false sends segments at once as before.
   */
  yieldToLive?: boolean;
  /** Test hook: where each file upload (re)starts. */
  onResume?: UploadContext['onResume'];
}

/** Backlog = every file without a receipt; `refused*` = those of them parked after a hub refusal. */
export type UploaderSummary = UploaderEvent & {
  hubUrl: string;
  forwardedFiles: number;
  bytesSent: number;
  lastReceiptAt?: string;
  alarms: AlarmEvent[];
  refusedFiles: number;
  refusedBytes: number;
  refused: { hearing: string; file: string; status: number; code: string; message: string; at: string; retryAt: string }[];
};
/** UPLOAD_BUSY: the same file again within this long at most. */
const BUSY_MAX_MS = 5000;

export function createUploader(deps: UploaderDeps) {
  const log = deps.logger;
  /** Where and as whom: the enrollment (`<stateDir>/keys/enrollment.json`), read at start. */
  let link: HubLink | undefined;
  let client: HubClient = createHubClient({ baseUrl: deps.hubUrl, secret: deps.secret });
  const manifestBytes = new Map<string, number>();
  /** Manifest hashes and receipts kept from scan to scan: a growing hearing costs its new lines only (issue 12 soak). */
  const scanner = createScanner();
  const rescan = createRescan({ recordings: deps.recordings, scanner, rescanMs: deps.rescanMs });
  const manifestPath = (hearing: string) => join(deps.recordings, hearing, 'manifest.jsonl');
  const lastManifestAt = new Map<string, number>();
  let queue: UploadQueue | undefined;
  let hubKey: Buffer | undefined;
  let state: UploaderEvent['state'] = 'stopped';
  let stopped = true;
  let forwarded = 0;
  let lastError: string | undefined;
  let lastReceiptAt: string | undefined;
  let loopDone: Promise<void> | undefined;
  let rescanTimer: NodeJS.Timeout | undefined;
  let lastEmit = 0;
  const refusals = createRefusals({
    queue: () => queue,
    recordings: deps.recordings,
    retryMs: deps.refusedRetryMs ?? 3_600_000,
    bus: deps.bus,
    log,
  });

  const policy = { baseMs: 1000, maxMs: deps.maxBackoffMs, jitter: 0.2 };
  /** The hub away or locking the room out: everything waits, longer each time, until an upload succeeds. */
  const hubAway = new Retries(policy);
  /** The n-th (1, 2, …) wait of one file. */
  const backoff = (n: number) => retryDelay(n - 1, policy);
  const waiter = createWaiter();
  const sleep = waiter.sleep;
  const kick = waiter.wake;

  function summary(): UploaderSummary {
    const items = queue?.items() ?? [];
    const oldest = items.reduce((m, i) => Math.min(m, Date.parse(i.since)), Date.now());
    return {
      state,
      backlogFiles: items.length,
      backlogBytes: items.reduce((s, i) => s + i.bytes, 0),
      oldestAgeS: Math.round((Date.now() - oldest) / 1000),
      ...(lastError ? { lastError } : {}),
      hubUrl: link?.baseUrl ?? deps.hubUrl,
      forwardedFiles: forwarded,
      bytesSent: client.stats.bytesSent,
      lastReceiptAt,
      alarms: refusals.alarms(),
      ...refusals.view(),
    };
  }
  const emit = (force = false) => {
    if (!deps.bus || (!force && Date.now() - lastEmit < 1000)) return;
    lastEmit = Date.now();
    const { state: st, backlogFiles, backlogBytes, oldestAgeS, lastError: le } = summary();
    deps.bus.emit('uploader', { state: st, backlogFiles, backlogBytes, oldestAgeS, ...(le ? { lastError: le } : {}) });
  };
  const setState = (s: UploaderEvent['state']) => (s !== state ? ((state = s), emit(true)) : undefined);

  /** Per queued manifest, how many times it was queued again (its version). */
  const changes = new Map<string, number>();
  function enqueue(item: Omit<QueueItem, 'attempts'>, notBefore?: number) {
    if (!queue) return;
    if (item.kind === 'manifest') changes.set(fileOf(item), (changes.get(fileOf(item)) ?? 0) + 1);
    if (queue.add(item)) {
      if (notBefore) queue.get(item.hearing, item.file)!.notBefore = notBefore;
    } else {
      const known = queue.get(item.hearing, item.file)!;
      if (known.refused)
        void refusals.retryIfChanged(known, notBefore).then(
          (due) => due && kick(),
          () => {},
        );
    }
    kick();
    emit();
  }
  const manifestDue = (hearing: string) => (lastManifestAt.get(hearing) ?? 0) + deps.manifestIntervalMs;

  /** Files without a receipt into the queue; a hearing whose files are all receipted costs a few stats (rescan.ts). */
  const scan = (docsOnly = false) =>
    rescan.run(
      hubKey,
      async (hearing, pending) => {
        if (!manifestBytes.has(hearing)) {
          const r = (await scanner.receipts.read(join(deps.recordings, hearing), hubKey)).get('manifest.jsonl')?.at(-1);
          if (r) manifestBytes.set(hearing, r.bytes);
        }
        for (const p of pending) enqueue(p, p.kind === 'manifest' ? manifestDue(hearing) : undefined);
      },
      docsOnly,
    );

  async function once(item: QueueItem): Promise<void> {
    // The hub's receipt key comes from the enrollment only (never from whoever answers): without it no
    // receipt could be trusted, so nothing is sent and retention deletes nothing.
    hubKey ??= await readPinnedKey(deps.stateDir);
    if (!hubKey)
      throw new HubError(
        401,
        'NOT_ENROLLED',
        'phòng chưa ghi danh với trung tâm / the room is not enrolled: run reception enroll --hub URL --code CODE',
      );
    const changed = changes.get(fileOf(item));
    const r = await uploadItem(
      {
        client,
        hubKey,
        recordings: deps.recordings,
        chunkBytes: deps.chunkBytes,
        manifestBytes,
        onResume: deps.onResume,
        digests: scanner.digests,
      },
      item,
    );
    await appendReceipt(join(deps.recordings, item.hearing), r);
    // A manifest that grew during its upload (an event while it was on the way) stays queued for the new lines.
    if (item.kind === 'manifest') lastManifestAt.set(item.hearing, Date.now());
    if (changes.get(fileOf(item)) !== changed) item.notBefore = manifestDue(item.hearing);
    else {
      queue!.remove(item.hearing, item.file);
      changes.delete(fileOf(item));
    }
    forwarded++;
    lastReceiptAt = r.receivedAt;
    log.debug({ hearing: item.hearing, file: item.file, bytes: r.bytes }, 'forwarded');
  }

  /** After a failed attempt: this file waits (busy, discarded, refused) and the others go on — or,
   *  when the hub itself is away or locks the room out, everything waits and the order is kept. */
  async function failed(item: QueueItem, err: unknown) {
    lastError = `${fileOf(item)}: ${errorMessage(err)}`;
    if (err instanceof FileGoneError) {
      log.warn({ err: lastError }, 'queued file vanished; dropped from the queue');
      queue!.remove(item.hearing, item.file);
      return refusals.settled(item);
    }
    const verdict = verdictOf(err);
    if (verdict === 'away' || verdict === 'locked') {
      const { delayMs } = hubAway.failed(lastError);
      if (verdict === 'locked') refusals.locked(err);
      setState('waiting');
      log.warn(
        { err: lastError, retryInMs: delayMs },
        verdict === 'locked' ? 'hub refuses the room credential (enrollment); will retry' : 'hub unreachable; will retry',
      );
      return sleep(delayMs);
    }
    // The hub disagreed (or refused): the manifest is hashed whole next time — never a stale incremental hash.
    if (item.kind === 'manifest' && verdict !== 'busy') scanner.digests.forget(manifestPath(item.hearing));
    item.attempts++;
    item.lastError = lastError;
    if (verdict === 'busy') {
      item.notBefore = Date.now() + Math.min(BUSY_MAX_MS, backoff(item.attempts));
      log.info({ file: fileOf(item) }, 'hub still busy with an earlier upload of this file; retrying soon');
    } else if (verdict === 'resend' && (item.resends = (item.resends ?? 0) + 1) < RESEND_LIMIT) {
      item.notBefore = Date.now() + backoff(item.resends);
      log.warn({ err: lastError, resends: item.resends }, 'hub discarded the upload; sending the file again');
    } else {
      await refusals.park(item, err);
    }
    queue!.touch();
  }

  /** Hearings recorded right now (recording bus `open` … `close`): their and every segment upload waits. */
  const live = new Set<string>();
  const held = (i: QueueItem) => deps.yieldToLive !== false && live.size > 0 && i.kind === 'segment';

  async function loop() {
    while (!stopped) {
      const item = queue!.next(Date.now(), held);
      if (!item) {
        setState('idle');
        const due = queue!.items().reduce((m, i) => (held(i) ? m : Math.min(m, i.notBefore ?? Infinity)), Infinity); // held ones wait for a kick
        await sleep(Number.isFinite(due) ? Math.max(10, due - Date.now()) : 60_000);
        continue;
      }
      setState('uploading');
      try {
        await once(item);
        hubAway.healthy();
        lastError = undefined;
        refusals.linkOk();
        refusals.settled(item);
        emit();
      } catch (err) {
        await failed(item, err);
        emit(true);
      }
    }
  }

  return {
    async start() {
      queue = await openUploadQueue(join(deps.stateDir, 'upload-queue.json'));
      link = await openHubLink(deps.stateDir, { hubUrl: deps.hubUrl, secret: deps.secret });
      client = createHubClient({ baseUrl: link.baseUrl, secret: link.token, fetch: link.fetch });
      hubKey = await readPinnedKey(deps.stateDir);
      stopped = false;
      refusals.restore();
      // Listen before the first scan: a segment the recorder salvages meanwhile (a resumed hearing) is
      // entered between the scan's read of its manifest and a later subscription (seen: never sent).
      deps.bus?.on('recording', (ev) => {
        const now = Date.now();
        if (ev.kind === 'open') live.add(ev.hearing);
        if (ev.kind === 'close') scanner.digests.forget(manifestPath(ev.hearing)); // the last version: hashed whole once
        if (ev.kind === 'close' && live.delete(ev.hearing)) {
          if (live.size === 0) log.info({ hearing: ev.hearing }, 'no hearing live: segment uploads resume');
          kick();
        }
        if (ev.kind === 'segment')
          enqueue({ hearing: ev.hearing, file: ev.file, kind: 'segment', bytes: ev.bytes, since: new Date(now).toISOString() });
        if (ev.kind === 'segment' || ev.kind === 'gap' || ev.kind === 'open' || ev.kind === 'close') {
          enqueue(
            { hearing: ev.hearing, file: 'manifest.jsonl', kind: 'manifest', bytes: 0, since: new Date(now).toISOString() },
            ev.kind === 'close' ? undefined : manifestDue(ev.hearing),
          );
          const m = queue?.get(ev.hearing, 'manifest.jsonl');
          if (m && ev.kind === 'close') m.notBefore = undefined;
        }
        if (ev.kind === 'close') void scan(true).catch(() => {}); // the book may have changed with the close
      });
      await scan();
      rescanTimer = setInterval(() => void scan().catch((err) => log.warn({ err }, 'rescan failed')), deps.rescanMs);
      rescanTimer.unref();
      loopDone = loop();
      log.info({ hubUrl: link.baseUrl, enrolled: link.enrolled, backlog: queue.items().length, pinnedKey: !!hubKey }, 'uploader started');
    },
    async stop() {
      stopped = true;
      if (rescanTimer) clearInterval(rescanTimer);
      kick();
      await loopDone;
      await queue?.close();
      await link?.close();
      setState('stopped');
    },
    summary,
    /** What reading manifests and receipts cost so far (tests, bench): bytes read and hashed, lines verified. */
    scanCosts: { digests: scanner.digests.stats, receipts: scanner.receipts.stats, segments: scanner.stats, hearings: rescan.stats },
    /** Re-scan now (tests, after the recorder wrote outside events). */
    rescan: (docsOnly = false) => scan(docsOnly).then(kick),
    kick,
    health: () => {
      const failures = hubAway.consecutiveFailures;
      return {
        state: stopped ? ('stopped' as const) : failures > 0 ? ('offline' as const) : ('online' as const),
        since: new Date().toISOString(),
        lastError,
        reconnects: failures,
      };
    },
  };
}
export type Uploader = ReturnType<typeof createUploader>;
