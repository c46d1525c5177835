import type { RemoteOpsConfig } from '../../../common/config/room-schema-remote-ops.js';
import type { HealthReply } from '../../../common/contracts/daemon-api/health.js';
import type { FleetOp, OpResult } from '../../../common/contracts/fleet-ops.js';
import { openHubLink } from '../../../common/enrollment/hub-link.js';
import { errorMessage } from '../../../common/errors.js';
import type { Health } from '../../../common/lifecycle.js';
import type { Logger } from '../../../common/log.js';
import { applyConfigOp } from './config-op.js';
import { diagnosticsBundle } from './diagnostics.js';
import { runSelftestOp, type SelfTestRunner } from './selftest-op.js';
import { openJournal, type Journal } from './journal.js';
import { createRestarter, type Restarter } from './restart.js';
import { clearOutcome, endTrial, openTrial, trialOutcome, type TrialMarker } from './trial.js';
import { watchTrial } from './trial-watch.js';

// Remote operations from the hub's console (hub/fleet-ops), taken from the fleet report's answer and
// answered with the next report (common/contracts/fleet-ops.ts). One at a time, each once (journal.ts).

export interface RemoteOpsDeps {
  settings: Pick<RemoteOpsConfig, 'trialSeconds' | 'supervisor' | 'systemdUnits' | 'pm2Gateway'>;
  /** The room config file (trial.ts keeps `.previous` and `.trial.json` beside it); none: config ops fail. */
  configFile?: string;
  stateDir: string;
  room: { id: string };
  /** The trial preflight() left open at this start: judged on the room's health. */
  trial: TrialMarker | null;
  health: { snapshot(): HealthReply };
  /** Where a diagnostics bundle goes when the room is not enrolled (as the fleet report). */
  hub: { hubUrl: string; secret: string };
  lastReport: () => unknown;
  version: string;
  /** The room's self-test (modules/self-test), for `selftest` ops. */
  selfTest?: SelfTestRunner;
  /** A result is ready: report it now (the fleet report's reportNow). */
  onResult?: () => void;
  logger: Logger;
  restarter?: Restarter;
}

export function createRemoteOps(deps: RemoteOpsDeps) {
  const log = deps.logger;
  const restarter = deps.restarter ?? createRestarter(deps.settings, log);
  const file = deps.configFile;
  let journal: Journal | undefined;
  let queue: Promise<void> = Promise.resolve();
  let watch: ReturnType<typeof watchTrial> | undefined;
  let lastError: string | undefined;
  const since = new Date().toISOString();
  const now = () => new Date().toISOString();

  async function finish(id: string, kind: string, state: OpResult['state'], reason: string, at = now()) {
    await journal!.finish(id, kind, { state, reason, at });
    log.info({ op: id, kind, state, reason }, 'remote-ops: result');
    deps.onResult?.();
  }

  /** The last trial's verdict into the journal; a rollback done before the config loaded still owes the gateway a restart. */
  async function collectOutcome() {
    const o = file ? await trialOutcome(file) : null;
    if (!o) return;
    await finish(o.op, 'config', o.state, o.reason ?? '', o.at);
    await clearOutcome(file!);
    if (o.state === 'rolled-back' && o.gateway)
      await restarter.restart({ daemon: false, gateway: true }).catch((e) => log.error({ err: e }, 'remote-ops: gateway not restarted'));
  }

  async function judgeTrial(marker: TrialMarker) {
    const started = Date.now();
    watch = watchTrial(deps.health, started + deps.settings.trialSeconds * 1000);
    const wrong = await watch.result;
    if (!file || wrong === undefined) return;
    const secs = Math.round((Date.now() - started) / 1000);
    if (!wrong)
      await endTrial(file, marker, {
        state: 'applied',
        reason: `phòng hoạt động tốt sau ${secs} s / healthy ${secs} s after the restart`,
        at: now(),
      });
    else {
      const why = `phòng không ổn định trong ${deps.settings.trialSeconds} s, đã khôi phục cấu hình cũ / not healthy within ${deps.settings.trialSeconds} s, previous config restored: ${wrong.join('; ')}`;
      await endTrial(file, marker, { state: 'rolled-back', reason: why, at: now() });
    }
    await collectOutcome();
    if (wrong) await restarter.restart({ daemon: true, gateway: marker.gateway });
  }

  async function run(op: FleetOp) {
    if (journal!.has(op.id)) return;
    await journal!.mark(op.id, op.kind, 'running');
    log.info({ op: op.id, kind: op.kind }, 'remote-ops: operation taken');
    if (op.kind === 'config') {
      const step = await applyConfigOp(file, op, deps.room.id);
      if (step.done) return finish(op.id, op.kind, step.state, step.reason);
      await journal!.mark(op.id, op.kind, 'trial');
      log.warn({ op: op.id, changed: step.changed, gateway: step.gateway }, 'remote-ops: new config on trial, restarting');
      const refused = await restarter.restart({ daemon: true, gateway: step.gateway }).then(() => null, errorMessage);
      const marker = refused && file ? await openTrial(file) : null;
      if (marker) {
        // The services run on the old config: the file goes back too, so disk and room agree.
        const reason = `không khởi động lại được, đã khôi phục cấu hình cũ / could not restart, previous config restored: ${refused}`;
        await endTrial(file!, marker, { state: 'rolled-back', reason, at: now() });
        await collectOutcome();
      }
    } else if (op.kind === 'restart') {
      await journal!.mark(op.id, op.kind, 'restarting');
      await restarter.restart({ daemon: true, gateway: true });
    } else if (op.kind === 'selftest') {
      const r = await runSelftestOp(deps.selfTest, op.seconds);
      await finish(op.id, op.kind, r.state, r.reason ?? '');
    } else {
      const link = await openHubLink(deps.stateDir, deps.hub);
      try {
        const { settings: s } = deps;
        const bundle = await diagnosticsBundle({
          ...deps,
          journal: () => journal!.view(),
          supervisor: restarter.supervisor,
          systemdUnits: s.systemdUnits,
        });
        const res = await link.fetch(`${link.baseUrl}${op.uploadPath}`, {
          method: 'PUT',
          headers: { authorization: `Bearer ${link.token}`, 'content-type': 'application/gzip' },
          body: new Uint8Array(bundle.bytes),
          signal: AbortSignal.timeout(60_000),
        });
        if (!res.ok) throw new Error(`hub ${res.status}: ${(await res.text()).slice(0, 300)}`);
        await finish(op.id, op.kind, 'applied', `${bundle.bytes.length} bytes: ${bundle.files.join(', ')}`);
      } finally {
        await link.close();
      }
    }
  }

  return {
    async start() {
      journal = await openJournal(deps.stateDir, log);
      for (const e of journal.inState('restarting'))
        await finish(
          e.id,
          e.kind,
          'applied',
          `dịch vụ đã khởi động lại / the room's services restarted (${restarter.supervisor}); the daemon was back ${Math.round((Date.now() - Date.parse(e.at)) / 1000)} s after the request`,
        );
      await collectOutcome();
      if (deps.trial) queue = judgeTrial(deps.trial).catch((err) => void log.error({ err }, 'remote-ops: trial not judged'));
    },
    async stop() {
      watch?.cancel();
      await queue.catch(() => {});
    },
    /** Ops from a report's answer: each done once, one after another. */
    take(ops: FleetOp[] | undefined) {
      if (!journal || !ops?.length) return;
      for (const op of ops)
        queue = queue.then(() =>
          run(op).catch(async (err) => {
            lastError = errorMessage(err);
            log.error({ op: op.id, err }, 'remote-ops: operation failed');
            await finish(op.id, op.kind, 'failed', lastError).catch(() => {});
          }),
        );
    },
    /** Results for the next report; `sent` once the hub accepted it. */
    results: (): OpResult[] => journal?.unsent() ?? [],
    sent: (results: OpResult[]) => journal?.sent(results.map((r) => r.id)),
    health: (): Health => ({ state: journal ? 'online' : 'stopped', since, lastError, reconnects: 0 }),
  };
}
export type RemoteOps = ReturnType<typeof createRemoteOps>;
