import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { existsSync } from 'node:fs';

// Starts a Node script whose process the kernel kills when this process dies, however it dies
// (kill -9 included): util-linux `setpriv --pdeathsig KILL` sets PR_SET_PDEATHSIG and execs node, so
// the child keeps its pid and its IPC channel. The child should also run watchParent() (see
// parent-watch.ts) for the instant between fork and prctl and for hosts without setpriv.

const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => existsSync(p));

export const PARENT_PID_ENV = 'RECEPTION_PARENT_PID';

export function spawnOrphanProof(script: string, opts: SpawnOptions & { env: NodeJS.ProcessEnv }): ChildProcess {
  const env = { ...opts.env, [PARENT_PID_ENV]: String(process.pid) };
  const node = [...process.execArgv, script];
  return SETPRIV
    ? spawn(SETPRIV, ['--pdeathsig', 'KILL', process.execPath, ...node], { ...opts, env })
    : spawn(process.execPath, node, { ...opts, env });
}
