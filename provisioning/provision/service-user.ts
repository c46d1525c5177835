import { execFileSync } from 'node:child_process';
import { chown, lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

// A technician runs `reception provision` as root (the install step needs it), but the room's services run as
// the `reception` user: whatever the flow writes (config, keys, enrollment, recordings of the self-test) is
// handed to that user, and a daemon the flow starts runs as it — else the service would find its own state
// locked away from it. Not root, or no such user yet: nothing to do.

const USER = 'reception';

export function serviceUser(name = USER): { uid: number; gid: number; name: string } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const [uid, gid] = ['-u', '-g'].map((f) =>
      Number(execFileSync('id', [f, name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()),
    );
    return Number.isInteger(uid) && Number.isInteger(gid) ? { uid: uid!, gid: gid!, name } : undefined;
  } catch {
    return undefined; // not installed yet
  }
}

/** chown -R of the given paths (symlinks themselves, never followed) to the service user, when there is one. */
export async function handOver(paths: string[], user = USER): Promise<void> {
  const owner = serviceUser(user);
  if (!owner) return;
  const walk = async (p: string): Promise<void> => {
    const st = await lstat(p).catch(() => undefined);
    if (!st || st.isSymbolicLink()) return;
    await chown(p, owner.uid, owner.gid);
    if (st.isDirectory()) for (const e of await readdir(p)) await walk(join(p, e));
  };
  for (const p of paths) await walk(p);
}
