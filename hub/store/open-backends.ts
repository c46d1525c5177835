import { join } from 'node:path';
import type { Logger } from '../../common/log.js';
import { pgSessionSharing } from '../accounts/sessions-pg.js';
import { openPgAccountStore } from '../accounts/account-store-pg.js';
import { AUDIT_FILE, openAuditLog } from '../audit/audit-log.js';
import { openPgAuditLog } from '../audit/audit-log-pg.js';
import { openCommissioningStore } from '../commissioning/commissioning-store.js';
import { openPgCommissioningStore } from '../commissioning/commissioning-store-pg.js';
import { openBookOutbox } from '../fleet/book-outbox-file.js';
import { createFleetHistory, type FleetHistoryStore } from '../fleet/fleet-history.js';
import { openPgFleetHistory } from '../fleet/fleet-history-pg.js';
import { openHistoryFile } from '../fleet/fleet-history-file.js';
import { createFleetStore, type FleetStore } from '../fleet/fleet-store.js';
import { openPgFleetStore } from '../fleet/fleet-store-pg.js';
import { openOpsFile } from '../fleet-ops/ops-file.js';
import { createOpsStore, type OpsStore } from '../fleet-ops/ops-store.js';
import { createPgOpsStore } from '../fleet-ops/ops-store-pg.js';
import { openHearingFile } from '../hearings/hearing-file.js';
import { createHearingStore } from '../hearings/hearing-store.js';
import { openPgHearings } from '../hearings/hearing-store-pg.js';
import { fileHearingWrites } from '../hearings/hearing-writes.js';
import { openFileRolloutTargets } from '../updates/rollout-targets.js';
import { openPgRolloutTargets } from '../updates/rollout-targets-pg.js';
import type { HubStore } from './hub-store.js';

// Each aggregate's backend, chosen once: PostgreSQL when the hub has a `store` (shared by every node),
// else files in stateDir (one process; no stateDir: memory only). create-hub.ts wires what comes back.

export interface BackendDeps {
  stateDir?: string;
  store?: HubStore;
  logger: Logger;
  now?: () => number;
  /** The hub's rooms and why one may not join (the registry's, opened later: called only once the hub runs). */
  roomIds: () => string[];
  roomProblem: (room: string) => string | undefined;
}

export async function openBackends(deps: BackendDeps) {
  const { stateDir, store: pg, logger, now } = deps;
  const hearingLog = logger.child({ module: 'hearings' });
  const file = stateDir && !pg ? await openHearingFile(join(stateDir, 'hearings.json'), hearingLog) : undefined;
  const hearings = createHearingStore({
    roomIds: deps.roomIds,
    roomProblem: deps.roomProblem, // never enrolled or revoked: 409 with the reason
    initial: file?.hearings,
    persist: file?.save,
    onPersistError: (err) => hearingLog.error({ err, stateDir }, 'HEARINGS NOT SAVED: a hub restart would lose the latest change'),
    writesElsewhere: pg ? 'PostgreSQL (hub/hearings/hearing-store-pg.ts)' : undefined,
  });
  // How hearings change: through PostgreSQL when there is a store (shared by every node), else the file above.
  const hearingWrites = pg
    ? await openPgHearings({ ...pg, logger: hearingLog, store: hearings, roomIds: deps.roomIds, roomProblem: deps.roomProblem })
    : fileHearingWrites(hearings);

  const fleetLog = logger.child({ module: 'fleet' });
  const outbox = stateDir && !pg ? await openBookOutbox(join(stateDir, 'book-outbox.json'), fleetLog) : undefined;
  // With a store: reports and the book outbox in PostgreSQL, shared by every hub node (hub/fleet/fleet-store-pg.ts).
  const pgFleet = pg ? await openPgFleetStore({ ...pg, logger: fleetLog, now }) : undefined;
  const fleet: FleetStore =
    pgFleet ??
    createFleetStore({
      now,
      initialBook: outbox?.entries,
      persistBook: outbox?.save,
      onPersistError: (err) => fleetLog.error({ err }, 'BOOK OUTBOX NOT SAVED: a hub restart would lose the latest reception book entry'),
    });
  // Each room's last 24 h, one point a minute (hub/fleet/fleet-history.ts), for the console's charts: in PostgreSQL
  // with a store (one series per room, the same charts at every node), else in memory saved to fleet-history.json.
  const historyFile = stateDir && !pg ? await openHistoryFile(join(stateDir, 'fleet-history.json'), fleetLog) : undefined;
  const history: FleetHistoryStore = pg
    ? await openPgFleetHistory({ pool: pg.pool, logger: fleetLog, now })
    : createFleetHistory({
        now,
        initial: historyFile?.initial,
        persist: historyFile?.save,
        onPersistError: (err) => fleetLog.warn({ err }, 'fleet history not saved: a hub restart would lose the last minutes of the charts'),
      });

  // Remote operations on rooms (hub/fleet-ops): handed over with the fleet reports, in <stateDir>/fleet-ops.json.
  const fleetOps: OpsStore = pg
    ? createPgOpsStore({ pool: pg.pool, now: now ?? Date.now }) // with a store: asked at any node, handed over at any
    : createOpsStore({
        file: stateDir ? await openOpsFile(stateDir, fleetLog) : undefined,
        now: now ?? Date.now,
        onPersistError: (err) => fleetLog.error({ err }, 'FLEET OPS NOT SAVED: a hub restart would lose the latest remote operation'),
      });

  // The audit log (hub/audit): hash-chained, checked now; every module appends through it. With a store: one chain for every node.
  const auditLog = logger.child({ module: 'audit' });
  const audit = pg
    ? await openPgAuditLog({ pool: pg.pool, logger: auditLog })
    : await openAuditLog({ file: stateDir ? join(stateDir, AUDIT_FILE) : undefined, logger: auditLog });

  // Local accounts and sessions shared by every node (hub/accounts/*-pg.ts); none: accounts.json, sessions in memory.
  const accountLog = logger.child({ module: 'accounts' });
  const pgAccounts = pg ? await openPgAccountStore({ ...pg, logger: accountLog }) : undefined;
  const sessionSharing = pg ? await pgSessionSharing({ ...pg, logger: accountLog }) : undefined;

  // The update rollout's targets (hub/updates): every node's with a store, else <stateDir>/rollout.json.
  const updatesLog = logger.child({ module: 'updates' });
  const rolloutTargets = pg
    ? await openPgRolloutTargets({ ...pg, logger: updatesLog })
    : await openFileRolloutTargets({ file: stateDir ? join(stateDir, 'rollout.json') : undefined, logger: updatesLog });

  // Commissioning reports and declared self-tests: every node's with a store, else <stateDir>/commissioning/.
  const commissioningLog = logger.child({ module: 'commissioning' });
  const pgCommissioning = pg ? await openPgCommissioningStore({ ...pg, logger: commissioningLog }) : undefined;
  const commissioning = pgCommissioning ?? (await openCommissioningStore({ stateDir, logger: commissioningLog }));

  return {
    hearings,
    hearingWrites,
    fleet,
    history,
    fleetOps,
    audit,
    /** The accounts' view when they are in PostgreSQL; undefined: createSignin reads accounts.json. */
    accounts: pgAccounts?.view,
    sessionSharing,
    commissioning,
    rolloutTargets,
    /** A room's last report at any node (PostgreSQL: the shared fleet store); undefined: this node's own reports. */
    reported: pgFleet ? (room: string) => pgFleet.health(room) : undefined,
    /** Saves what is pending and stops the listeners; the audit log last (closing the others may still append). */
    async close() {
      await hearingWrites.close();
      await history.flush();
      await pgFleet?.close();
      await pgAccounts?.close();
      await pgCommissioning?.close();
      await rolloutTargets.close();
      await audit.close();
    },
  };
}
