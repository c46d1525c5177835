import type { Health } from '../../../common/lifecycle.js';
import { errorMessage } from '../../../common/errors.js';
import type { Logger } from '../../../common/log.js';
import { fleetReportPath, type ReportAnswer, type RoomReport } from '../../../common/contracts/fleet.js';
import type { HealthReply, RecordingStatus } from '../../../common/contracts/daemon-api/health.js';
import type { BookStore } from '../book/book-store.js';
import type { EventBus, RecordingEvent } from '../events/event-bus.js';
import { createBookDelivery } from './book-delivery.js';
import { compactReport, recordingAlarm } from './compact.js';
import { openHubLink, type HubLink } from '../../../common/enrollment/hub-link.js';
import type { FleetOp, OpResult } from '../../../common/contracts/fleet-ops.js';
import type { UpdateOffer, UpdateStatus } from '../../../common/contracts/updates.js';
import type { MediaEvent } from '../events/event-bus.js';
import type { RoomClock } from '../clock/create-clock.js';
import { createRestartWindow } from './restart-window.js';

// Every `fleet.reportSeconds`, POSTs a compact health summary to the hub
// (`/api/v1/fleet/rooms/<room>/report`, the room secret as Bearer, as the uploader does). The answer
// may carry reception book entries made at the hub console: they are written through the book store
// and acknowledged in the next report (sent at once). A recording alarm raised or cleared (disk full)
// is reported at once too, not at the next period. A hub away is normal: logged at debug once per
// change of state, never thrown; the hearing and the recording do not depend on this module.

export interface FleetReportDeps {
  /** Hub base URL, e.g. http://hub:8090. */
  hubUrl: string;
  /** The room's configured secret (gateway.roomSecret, being retired); the enrollment's token wins. */
  secret: string;
  /** `<paths.state>`: the enrollment (`keys/enrollment.json`) gives the hub URL, token and CA. */
  stateDir?: string;
  room: { id: string };
  intervalMs: number;
  /** The room's health module (modules/health): what GET /api/v1/health answers, sent compacted. */
  health: { snapshot(): HealthReply };
  /** The recorder: which directory a book entry goes to, and its alarm (read directly: the health snapshot shows this module's summary). */
  recorder?: { status(): Pick<RecordingStatus, 'hearing' | 'alarm'> };
  book: Pick<BookStore, 'put' | 'current'>;
  /** The daemon's bus: a recorder alarm raised or cleared sends a report at once. */
  bus?: Pick<EventBus, 'on' | 'off'>;
  logger: Logger;
  timeoutMs?: number;
  /** Remote operations (modules/remote-ops): their results go with each report, the answer's ops to them. */
  ops?: { results(): OpResult[]; sent(results: OpResult[]): unknown; take(ops: FleetOp[] | undefined): void };
  /** Software updates (modules/updater): its status goes with each report, the answer's offer to it. */
  updates?: { status(): UpdateStatus | null; offer(o: UpdateOffer): void };
  /** The room's clock discipline (modules/clock): each report is timed on it and the hub's time in the answer measured. */
  clock?: Pick<RoomClock, 'now' | 'measured'>;
}

export type FleetReportState = 'stopped' | 'starting' | 'reporting' | 'failing';

export function createFleetReport(deps: FleetReportDeps) {
  const log = deps.logger;
  const urlOf = (base: string) => `${base.replace(/\/$/, '')}${fleetReportPath(deps.room.id)}`;
  let url = urlOf(deps.hubUrl);
  let link: HubLink | undefined;
  const recordingDir = () => deps.recorder?.status().hearing ?? null;
  const delivery = createBookDelivery({ book: deps.book, roomId: deps.room.id, recordingDir, logger: log });
  let state: FleetReportState = 'stopped';
  let since = new Date().toISOString();
  let lastError: string | undefined;
  let lastReportAt: string | undefined;
  let lastReport: RoomReport | undefined; // for a diagnostics bundle
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = true;
  let busy = false; // a report is in flight
  let again = false; // something changed while it was: report again at once
  /** The recording alarm the hub last accepted (null: it was told there is none). */
  let told: { reason: string; since: string; at: string } | null = null;
  const currentAlarm = () => recordingAlarm(deps.recorder?.status().alarm ?? null);
  const restarts = createRestartWindow();
  const onMedia = (e: MediaEvent) => {
    if (e.kind === 'restart') restarts.restarted();
  };
  const clockNow = deps.clock?.now ?? Date.now;

  function setState(next: FleetReportState, error?: string) {
    if (next === state && error === lastError) return;
    const from = state;
    state = next;
    lastError = error;
    since = new Date().toISOString();
    log.debug({ from, to: next, hubUrl: deps.hubUrl, error }, 'fleet report state');
  }

  /** One report; answers how many book entries came back (they are acknowledged by the next one). */
  async function reportOnce(): Promise<number> {
    const acks = delivery.pendingAcks();
    const opResults = deps.ops?.results() ?? [];
    try {
      const body: RoomReport = {
        ...compactReport(deps.health.snapshot(), Math.round(deps.intervalMs / 1000) || 1, new Date(), {
          restartsLastHour: restarts.lastHour(),
        }),
        ...(acks.length ? ({ acks } satisfies Partial<RoomReport>) : {}),
        ...(opResults.length ? { opResults } : {}),
        ...(deps.updates ? { update: deps.updates.status() } : {}),
      };
      const t0 = clockNow();
      const res = await (link?.fetch ?? fetch)(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${link?.token ?? deps.secret}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(deps.timeoutMs ?? 10_000),
      });
      const t1 = clockNow(); // the answer's head: the hub stamped its time just before sending it
      if (!res.ok) {
        const e = (await res.json().catch(() => ({}))) as { code?: string; message?: string };
        throw new Error(`hub ${res.status} ${e.code ?? 'HTTP'}: ${e.message ?? res.statusText}`);
      }
      const answer = (await res.json()) as ReportAnswer;
      const hubMs = answer.hubTime ? Date.parse(answer.hubTime) : Number.NaN;
      if (Number.isFinite(hubMs)) deps.clock?.measured(t0, t1, hubMs, 'hub'); // an older hub says no time: nothing measured
      delivery.sent(acks);
      lastReport = body;
      await deps.ops?.sent(opResults);
      deps.ops?.take(answer.ops);
      if (answer.update) deps.updates?.offer(answer.update);
      lastReportAt = new Date().toISOString();
      const alarm = body.recording?.alarm ?? null;
      told = alarm ? { reason: alarm.reason, since: alarm.since, at: lastReportAt } : null;
      setState('reporting');
      return Array.isArray(answer.book) && answer.book.length ? await delivery.deliver(answer.book) : 0;
    } catch (err) {
      failures++;
      setState('failing', errorMessage(err));
      return 0;
    }
  }

  /** One report, then the next one scheduled; `running` settles once both are done. */
  function fire(): Promise<number> {
    if (timer) clearTimeout(timer);
    busy = true;
    const p = reportOnce().then((delivered) => {
      busy = false;
      // Entries written: report again at once, so the officer sees "written" without waiting a period.
      const soon = delivered > 0 || again;
      again = false;
      schedule(soon ? 0 : deps.intervalMs);
      return delivered;
    });
    running = p.then(() => undefined);
    return p;
  }

  function schedule(ms: number) {
    if (timer) clearTimeout(timer);
    if (stopped) return;
    timer = setTimeout(() => void fire(), ms);
    timer.unref();
  }

  /** A recording alarm raised or cleared: the hub hears it now (after the report in flight, which may predate it). */
  const onRecording = (e: RecordingEvent) => {
    if (stopped || (e.kind !== 'alarm' && e.kind !== 'alarm-cleared')) return;
    const a = currentAlarm();
    if (e.kind === 'alarm' && a && told?.reason === a.reason && told.since === a.since) return; // a retry failing again: the hub knows
    if (busy) again = true;
    else schedule(0); // a tick later: the recorder clears its alarm just after emitting alarm-cleared
  };

  return {
    async start() {
      stopped = false;
      setState('starting');
      if (deps.stateDir) {
        link = await openHubLink(deps.stateDir, { hubUrl: deps.hubUrl, secret: deps.secret });
        url = urlOf(link.baseUrl);
      }
      deps.bus?.on('recording', onRecording);
      deps.bus?.on('media', onMedia);
      schedule(0);
      log.info({ url, everyS: deps.intervalMs / 1000 }, 'fleet reports started');
    },
    async stop() {
      stopped = true;
      deps.bus?.off('recording', onRecording);
      deps.bus?.off('media', onMedia);
      if (timer) clearTimeout(timer);
      await running;
      await link?.close();
      setState('stopped');
    },
    /** Reports now (after any report in flight), then keeps the usual rhythm; tests and a manual "send now". */
    async reportNow(): Promise<number> {
      if (timer) clearTimeout(timer);
      await running; // the report in flight scheduled the next one: fire() clears it
      return fire();
    },
    lastReport: () => lastReport,
    summary: () => {
      const a = currentAlarm();
      // When the hub accepted a report carrying the recorder's current alarm (the kiosk says "the central point knows").
      const alarmReportedAt = a && told && told.reason === a.reason && told.since === a.since ? told.at : null;
      return {
        state,
        since,
        url,
        lastReportAt,
        lastError,
        pendingAcks: delivery.pendingAcks().length,
        recordingAlarmReportedAt: alarmReportedAt,
      };
    },
    health: (): Health => ({
      state: state === 'reporting' ? 'online' : state === 'failing' ? 'offline' : state,
      since,
      lastError,
      reconnects: failures,
    }),
  };
}
