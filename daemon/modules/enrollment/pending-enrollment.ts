import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type Static, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { writePrivateFile } from '../../../common/storage/private-file.js';

// An enrollment the technician could not finish (the hub unreachable while commissioning): the hub's URL
// and the one-time code, kept 0600 beside the keys until the daemon has used it (create-enrollment-retry.ts).
// The code is a secret for its 60 minutes (or the ttl it was issued with): nobody but the box reads it.

export const PendingEnrollment = Type.Object(
  {
    hubUrl: Type.String(),
    code: Type.String(),
    room: Type.String(),
    since: Type.String({ description: 'when the technician left it pending (ISO)' }),
  },
  { additionalProperties: false },
);
export type PendingEnrollment = Static<typeof PendingEnrollment>;

const fileOf = (stateDir: string) => join(stateDir, 'keys', 'enrollment-pending.json');

export const writePendingEnrollment = (stateDir: string, p: PendingEnrollment) => writePrivateFile(fileOf(stateDir), JSON.stringify(p));

export async function readPendingEnrollment(stateDir: string): Promise<PendingEnrollment | undefined> {
  if (!existsSync(fileOf(stateDir))) return undefined;
  const raw: unknown = JSON.parse(await readFile(fileOf(stateDir), 'utf8'));
  return Value.Check(PendingEnrollment, raw) ? raw : undefined;
}

export const removePendingEnrollment = (stateDir: string) => rm(fileOf(stateDir), { force: true });
