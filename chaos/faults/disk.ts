// Disk faults on the room's recordings directory (issue 12, part Q): a small tmpfs filled to the last
// byte and freed again, and the directory made read-only and writable again. Root only.
//
// The room's processes run in their own mount namespace (`ip netns exec` unshares one), where a mount
// made from the host may not propagate (a private root in a container). So every command runs in the
// namespace of a target process (`nsenter -t <pid> -m`): the daemon's, which its media worker shares.
// Without a pid the commands run here (tests).
import { execFile } from 'node:child_process';

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function run(cmd: string, args: string[], timeoutMs = 60_000): Promise<ExecResult> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: timeoutMs, maxBuffer: 4 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) || (err && code === -1 ? err.message : '') });
    });
  });
}

/** Runs a command in the mount namespace of `pid()` (undefined: here). */
export function inMountNamespaceOf(pid: () => number | undefined) {
  return (cmd: string, args: string[]): Promise<ExecResult> => {
    const p = pid();
    return p === undefined ? run(cmd, args) : run('nsenter', ['-t', String(p), '-m', '--', cmd, ...args]);
  };
}

export type Exec = (cmd: string, args: string[]) => Promise<ExecResult>;

const must = async (exec: Exec, cmd: string, args: string[]) => {
  const r = await exec(cmd, args);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.code}): ${r.stderr.trim()}`);
  return r;
};

export interface DiskSpace {
  sizeBytes: number;
  availBytes: number;
}

export async function diskSpace(exec: Exec, dir: string): Promise<DiskSpace> {
  const r = await must(exec, 'df', ['-B1', '--output=size,avail', dir]);
  const [size, avail] = r.stdout.trim().split('\n').at(-1)!.trim().split(/\s+/).map(Number);
  return { sizeBytes: size, availBytes: avail };
}

/** The filler's name: hidden, at the top of the recordings dir (no hearing's folder, no manifest names it). */
export const FILLER = '.chaos-q-filler';

/**
 * Fills the filesystem holding `dir` to the last byte (dd of zeros until ENOSPC) and frees it again.
 * Returns how many bytes the filler took.
 */
export function createDiskFull(exec: Exec, dir: string) {
  const filler = `${dir.replace(/\/$/, '')}/${FILLER}`;
  return {
    filler,
    async fill(): Promise<number> {
      // dd stops at ENOSPC with an error: expected. What counts is that nothing is left.
      await exec('dd', ['if=/dev/zero', `of=${filler}`, 'bs=64K', 'status=none']);
      await exec('sync', ['-f', filler]);
      const after = await diskSpace(exec, dir);
      if (after.availBytes > 64 * 1024) throw new Error(`disk not full after the filler: ${after.availBytes} bytes left in ${dir}`);
      const r = await must(exec, 'stat', ['-c', '%s', filler]);
      return Number(r.stdout.trim());
    },
    async free(): Promise<void> {
      await must(exec, 'rm', ['-f', filler]);
    },
  };
}

/**
 * Makes `dir` read-only (a read-only bind mount over itself, as after the kernel remounted a failing
 * disk `errors=remount-ro`) and writable again (the bind mount removed). Files already open for writing
 * keep their descriptors; new opens and renames fail with EROFS.
 */
export function createReadOnly(exec: Exec, dir: string) {
  let on = false;
  return {
    async set(): Promise<void> {
      if (on) return;
      await must(exec, 'mount', ['--bind', dir, dir]);
      on = true;
      await must(exec, 'mount', ['-o', 'remount,bind,ro', dir]);
    },
    async clear(): Promise<void> {
      if (!on) return;
      // lazy: a worker holding a file open on the bind must not keep the directory read-only
      await must(exec, 'umount', ['-l', dir]);
      on = false;
    },
    active: () => on,
  };
}

/** A tmpfs of `mb` MiB mounted on `dir` (where the runner did not already). Unmounted by `remove()`. */
export async function mountTmpfs(exec: Exec, dir: string, mb: number) {
  await must(exec, 'mkdir', ['-p', dir]);
  await must(exec, 'mount', ['-t', 'tmpfs', '-o', `size=${mb}m,mode=0755`, `chz-q-${process.pid}-rec`, dir]);
  return {
    async remove(): Promise<void> {
      await exec('umount', ['-l', dir]);
    },
  };
}
