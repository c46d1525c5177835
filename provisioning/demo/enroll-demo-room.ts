import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { enrollmentPath } from '../../common/contracts/enrollment-file.js';

// The demo enrolls each simulated room the way a technician does it: a one-time code issued at the hub
// (`reception hub enroll-code`, into the hub's state dir), then `reception enroll` on the "box" with it.
// A room already enrolled under a key the hub still holds active is left as it is (a demo restart).

export interface DemoEnrollment {
  room: string;
  name: string;
  configFile: string;
  hubUrl: string;
  hubStateDir: string;
  roomStateDir: string;
}

function stillEnrolled(e: DemoEnrollment): boolean {
  const file = enrollmentPath(e.roomStateDir);
  const registry = join(e.hubStateDir, 'registry.json');
  if (!existsSync(file) || !existsSync(registry)) return false;
  try {
    const mine = JSON.parse(readFileSync(file, 'utf8')) as { fingerprint: string; hubUrl: string };
    const reg = JSON.parse(readFileSync(registry, 'utf8')) as {
      rooms: { id: string; keys: { fingerprint: string; validTo?: string; revokedAt?: string }[] }[];
    };
    const keys = reg.rooms.find((r) => r.id === e.room)?.keys ?? [];
    return mine.hubUrl === e.hubUrl && keys.some((k) => k.fingerprint === mine.fingerprint && !k.validTo && !k.revokedAt);
  } catch {
    return false;
  }
}

export function enrollDemoRoom(cli: string, e: DemoEnrollment): 'enrolled' | 'kept' {
  if (stillEnrolled(e)) return 'kept';
  const run = (args: string[]) => {
    const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`reception ${args.slice(0, 2).join(' ')} failed (${r.status}): ${r.stderr || r.stdout}`);
    return r.stdout;
  };
  const issued = JSON.parse(
    run(['hub', 'enroll-code', '--room', e.room, '--name', e.name, '--ttl', '5', '--state-dir', e.hubStateDir]),
  ) as { code: string };
  run(['enroll', '--hub', e.hubUrl, '--code', issued.code, '--config', e.configFile]);
  return 'enrolled';
}
