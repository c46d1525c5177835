import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import { getPriority } from 'node:os';

// Starts a Node script whose process the kernel kills when this process dies, however it dies
// (kill -9 included): util-linux `setpriv --pdeathsig KILL` sets PR_SET_PDEATHSIG and execs node, so
// the child keeps its pid and its IPC channel. The child should also run watchParent() (see
// parent-watch.ts) for the instant between fork and prctl and for hosts without setpriv.

const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => existsSync(p));
const NICE = ['/usr/bin/nice', '/bin/nice'].find((p) => existsSync(p));

export const PARENT_PID_ENV = 'RECEPTION_PARENT_PID';

/**
 * `nice` (−20…19, absolute; undefined = ours): coreutils `nice -n` execs the rest, so the whole process and every
 * thread it makes start with it (setpriority on a running pid moves its main thread only on Linux).
 * A refused raise (no CAP_SYS_NICE, RLIMIT_NICE too low) leaves nice as it was: check with getPriority.
 */
export function spawnOrphanProof(script: string, opts: SpawnOptions & { env: NodeJS.ProcessEnv; nice?: number }): ChildProcess {
  const { nice, ...rest } = opts;
  const env = { ...rest.env, [PARENT_PID_ENV]: String(process.pid) };
  const node = [...process.execArgv, script];
  const by = nice === undefined ? 0 : nice - getPriority();
  const niced = by && NICE ? [NICE, '-n', String(by)] : [];
  const argv = [...niced, ...(SETPRIV ? [SETPRIV, '--pdeathsig', 'KILL'] : []), process.execPath, ...node];
  return spawn(argv[0]!, argv.slice(1), { ...rest, env });
}
