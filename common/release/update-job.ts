import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Static, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { UpdateStatus } from '../contracts/updates.js';
import { writePrivateFile } from '../storage/private-file.js';

// What the room's daemon hands the process that installs an update (`reception update apply`), and the
// status both write: <paths.state>/updates/{job.json, status.json}. The installer runs from the release
// that is running now, outside the daemon's process tree, so it can watch the new version and put the
// old one back when the new one does not come up healthy.

export const updatesDir = (stateDir: string) => join(stateDir, 'updates');

export const RESTART_KINDS = ['systemd', 'pm2', 'signal'] as const;

export const UpdateJob = Type.Object(
  {
    version: Type.String(),
    attempt: Type.String(),
    releaseFile: Type.String({ description: 'the verified <name>.release.json; its archive beside it' }),
    installRoot: Type.String({ description: 'holds releases/<version>/, modules/<lockSha256>/ and the current symlink' }),
    trustedKeyFile: Type.String({ description: 'the release key the box trusts (checked again before unpacking)' }),
    healthUrl: Type.String({ description: "the daemon's GET /api/v1/health on loopback" }),
    windowSeconds: Type.Integer({ minimum: 5 }),
    stableSeconds: Type.Integer({ minimum: 1 }),
    /** What held before the update must hold after it (an update must not make the room worse). */
    before: Type.Object({
      status: Type.String(),
      gateway: Type.Union([Type.String(), Type.Null()]),
      media: Type.Union([Type.String(), Type.Null()]),
    }),
    restart: Type.Object({
      kind: Type.Union(RESTART_KINDS.map((k) => Type.Literal(k))),
      systemdUnits: Type.Array(Type.String()),
      pm2Apps: Type.Array(Type.String()),
      pids: Type.Array(Type.Integer(), { description: 'signal: the processes to stop (their supervisor starts them again)' }),
    }),
  },
  { additionalProperties: false },
);
export type UpdateJob = Static<typeof UpdateJob>;

export async function writeUpdateJob(stateDir: string, job: UpdateJob): Promise<string> {
  const file = join(updatesDir(stateDir), 'job.json');
  await writePrivateFile(file, JSON.stringify(job, null, 2));
  return file;
}

export async function readUpdateJob(file: string): Promise<UpdateJob> {
  const raw: unknown = JSON.parse(await readFile(file, 'utf8'));
  if (!Value.Check(UpdateJob, raw)) {
    const e = Value.Errors(UpdateJob, raw).First();
    throw new Error(`${file}: ${e?.path || '/'} ${e?.message}`);
  }
  return raw;
}

export async function writeUpdateStatus(stateDir: string, s: UpdateStatus): Promise<void> {
  await writePrivateFile(join(updatesDir(stateDir), 'status.json'), JSON.stringify(s));
}

/** The last status written (null: none, or a file this version cannot read — reported as no update). */
export async function readUpdateStatus(stateDir: string): Promise<UpdateStatus | null> {
  const file = join(updatesDir(stateDir), 'status.json');
  if (!existsSync(file)) return null;
  try {
    const raw: unknown = JSON.parse(await readFile(file, 'utf8'));
    return Value.Check(UpdateStatus, raw) ? raw : null;
  } catch {
    return null;
  }
}
