import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';

export interface ReadyChild<T> {
  child: ChildProcess;
  ready: T;
  /** Sends `signal` and waits for the exit (SIGKILL after `graceMs`). */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

/**
 * Spawns a process that announces itself with one JSON line `{"ready": true, ...}` on stdout
 * (the convention of every `reception` subcommand). Everything it prints goes to `logFile`.
 */
export async function spawnReady<T = Record<string, unknown>>(
  command: string,
  args: string[],
  /** `stdin: 'pipe'`: the child's stdin is writable (`child.stdin`); default: no stdin. */
  opts: { logFile?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv; cwd?: string; stdin?: 'pipe' | 'ignore' } = {},
): Promise<ReadyChild<T>> {
  const spawnOpts: SpawnOptions = { stdio: [opts.stdin ?? 'ignore', 'pipe', 'pipe'], env: opts.env ?? process.env, cwd: opts.cwd };
  const child = spawn(command, args, spawnOpts);
  const log = opts.logFile ? createWriteStream(opts.logFile, { flags: 'a' }) : undefined;
  let stderr = '';
  child.stderr!.on('data', (d) => {
    stderr = (stderr + String(d)).slice(-4000);
    log?.write(d);
  });
  const lines = createInterface({ input: child.stdout! });
  // A ceiling, not a wait: a process that dies says so at once (its exit); a slow start on a loaded 2-core box
  // (the demo on a fresh machine, a test beside others) took over 20 s.
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const ready = await new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args.join(' ')}: not ready after ${timeoutMs} ms\n${stderr}`)), timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${args.join(' ')} exited (${code ?? signal}) before it was ready:\n${stderr}`));
    });
    lines.on('line', (line) => {
      log?.write(line + '\n');
      if (!line.startsWith('{"ready":true')) return;
      clearTimeout(timer);
      resolve(JSON.parse(line) as T);
    });
  });
  return {
    child,
    ready,
    stop: (signal = 'SIGTERM', graceMs = 5000) =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
        child.once('exit', () => {
          clearTimeout(kill);
          log?.end();
          resolve();
        });
        child.kill(signal);
      }),
  };
}
