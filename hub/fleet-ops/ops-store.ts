import { createHash, randomBytes } from 'node:crypto';
import { redactConfig } from '../../common/config/redact-config.js';
import { opBundlePath, SELFTEST_SECONDS, type FleetOp, type OpResult } from '../../common/contracts/fleet-ops.js';
import type { OpsFile } from './ops-file.js';
import type { OpRecord, OpRequest, OpView } from './schemas.js';

// Remote operations per room and their states: pending (asked) → handed-over (in a report's answer; handed
// over again with every report until the room answers: it keeps a journal and does each op once) → the
// room's result: applied | rolled-back | failed, with its reason. A result for an op that is already done
// is ignored (the room repeats results until a report carrying them was accepted).

export const KEEP = 500; // done operations kept (newest); pending ones are never dropped

type Awaitable<T> = T | Promise<T>;
/** Remote operations as the routes use them; this file's (memory + fleet-ops.json) and ops-store-pg.ts pass test/ops-suite.ts. */
export interface OpsStore {
  create(room: string, req: OpRequest, by: string): Awaitable<OpView>;
  list(room: string): Awaitable<OpView[]>;
  get(room: string, id: string): Awaitable<OpView | undefined>;
  exchange(room: string, results?: OpResult[]): Awaitable<FleetOp[]>;
  putBundle(room: string, id: string, bytes: Buffer): Promise<boolean>;
  bundle(id: string): Promise<Buffer | undefined>;
  saved(): Promise<void>;
}

/** A new operation record (its id, redacted view of a pushed config, the config itself as payload). */
export function newOp(room: string, req: OpRequest, by: string, now: number): OpRecord {
  const op: OpRecord = {
    id: `op-${now.toString(36)}-${randomBytes(4).toString('hex')}`,
    room,
    kind: req.kind,
    state: 'pending',
    by,
    createdAt: new Date(now).toISOString(),
    handedOverAt: null,
    doneAt: null,
    reason: null,
    bundle: null,
  };
  if (req.kind === 'config') Object.assign(op, { mode: req.mode ?? 'merge', config: redactConfig(req.config), payload: req.config });
  if (req.kind === 'selftest') op.seconds = req.seconds ?? SELFTEST_SECONDS.default;
  return op;
}

/** What the room is handed for an open operation. */
export function fleetOpOf(room: string, op: OpRecord): FleetOp {
  if (op.kind === 'config') return { id: op.id, kind: 'config', mode: op.mode ?? 'merge', config: op.payload ?? {} };
  if (op.kind === 'diagnostics') return { id: op.id, kind: 'diagnostics', uploadPath: opBundlePath(room, op.id) };
  if (op.kind === 'selftest') return { id: op.id, kind: 'selftest', seconds: op.seconds ?? SELFTEST_SECONDS.default };
  return { id: op.id, kind: 'restart' };
}

export function createOpsStore(deps: { file?: OpsFile; now: () => number; onPersistError: (err: unknown) => void }) {
  const ops: OpRecord[] = deps.file?.ops ?? [];
  const memoryBundles = new Map<string, Buffer>(); // a hub without stateDir (tests, a demo)
  let saving: Promise<void> = Promise.resolve();
  const iso = () => new Date(deps.now()).toISOString();
  const persist = () => {
    const snapshot = ops.slice();
    saving = saving.then(() => deps.file?.save(snapshot)).catch(deps.onPersistError);
  };
  const view = ({ payload: _p, ...op }: OpRecord): OpView => op;
  const done = (op: OpRecord) => op.state !== 'pending' && op.state !== 'handed-over';

  return {
    create(room: string, req: OpRequest, by: string): OpView {
      const op = newOp(room, req, by, deps.now());
      ops.push(op);
      const old = ops.filter(done);
      for (const gone of old.slice(0, Math.max(0, old.length - KEEP))) ops.splice(ops.indexOf(gone), 1);
      persist();
      return view(op);
    },
    list: (room: string): OpView[] =>
      ops
        .filter((o) => o.room === room)
        .map(view)
        .reverse(),
    get: (room: string, id: string) => {
      const op = ops.find((o) => o.room === room && o.id === id);
      return op && view(op);
    },
    /** The room's report: its results applied, then what it should do now. */
    exchange(room: string, results: OpResult[] = []): FleetOp[] {
      let changed = false;
      for (const r of results) {
        const op = ops.find((o) => o.room === room && o.id === r.id);
        if (!op || done(op)) continue;
        Object.assign(op, { state: r.state, doneAt: r.at, reason: r.reason ?? null });
        changed = true;
      }
      const open = ops.filter((o) => o.room === room && !done(o));
      for (const op of open) Object.assign(op, { state: 'handed-over', handedOverAt: iso() });
      if (changed || open.length) persist();
      return open.map((op) => fleetOpOf(room, op));
    },
    /** The room's diagnostics bundle; false when no such diagnostics op is open for it. */
    async putBundle(room: string, id: string, bytes: Buffer): Promise<boolean> {
      const op = ops.find((o) => o.room === room && o.id === id && o.kind === 'diagnostics');
      if (!op || op.state === 'failed') return false;
      if (deps.file) await deps.file.putBundle(id, bytes);
      else memoryBundles.set(id, bytes);
      op.bundle = { bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), at: iso() };
      persist();
      return true;
    },
    bundle: async (id: string) => memoryBundles.get(id) ?? (await deps.file?.bundle(id)),
    saved: () => saving,
  };
}
