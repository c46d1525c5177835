import { ConfigError, type ConfigProblem } from '../../common/config/config-error.js';
import { mergePatch } from '../../common/config/merge-patch.js';
import { validateConfig } from '../../common/config/validate-room-config.js';
import type { ConfigOp } from '../../common/contracts/fleet-ops.js';

// A pushed room config is checked here by the daemon's own rules (common/config/validate-room-config.ts),
// so a config the room would refuse never leaves the hub. A merge patch is laid over the schema's
// defaults (the hub does not hold the room's file): only problems under a key the patch sets are the
// patch's, the room checks the merged whole again. The room's id is its enrollment: never pushed.

const problemsOf = (raw: unknown): ConfigProblem[] => {
  try {
    validateConfig(raw, 'pushed config');
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
};

/** JSON pointers of every leaf the patch sets (arrays count as leaves: a patch replaces them whole). */
function leaves(patch: unknown, at = ''): string[] {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return [at];
  return Object.entries(patch).flatMap(([k, v]) => leaves(v, `${at}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`));
}

/** What is wrong with a config op's payload, each problem at its JSON pointer under `/config` (empty: fine). */
export function pushedConfigProblems(op: Pick<ConfigOp, 'mode' | 'config'>, room: string): ConfigProblem[] {
  const id = (op.config.room as { id?: unknown } | undefined)?.id;
  if (id !== undefined && id !== room)
    return [{ path: '/config/room/id', message: `the room's id is "${room}" (its enrollment); a pushed config cannot change it` }];
  if (op.mode === 'replace') return problemsOf({ ...op.config, room: { ...(op.config.room as object), id: room } }).map(under);
  const touched = leaves(op.config);
  const merged = mergePatch(validateConfig({}), op.config);
  return problemsOf(merged)
    .filter((p) => touched.some((t) => p.path === t || p.path.startsWith(`${t}/`) || t.startsWith(`${p.path}/`)))
    .map(under);
}

const under = (p: ConfigProblem): ConfigProblem => ({ ...p, path: `/config${p.path === '/' ? '' : p.path}` });
