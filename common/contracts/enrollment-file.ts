import { readFile } from 'node:fs/promises';
import { writePrivateFile } from '../storage/private-file.js';
import { join } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ed25519KeyInfo } from './enrollment.js';

// What `reception enroll` leaves on the box (`<paths.state>/keys/enrollment.json`, 0600) and the room's
// clients read: the gateway's signaling, the uploader, the fleet reporter (hub URL, token, CA) and the
// receipt check (the hub's receipt key, pinned here — never taken from whoever answers first).

export const ENROLLMENT_FILE = 'enrollment.json';

export const EnrollmentFile = Type.Object(
  {
    hubUrl: Type.String({ description: 'hub base URL, https://host:port (http only for a loopback hub)' }),
    room: Type.String(),
    name: Type.String(),
    token: Type.String({ description: "the room's credential (Bearer)" }),
    fingerprint: Type.String({ description: 'the enrolled appliance key' }),
    enrolledAt: Type.String(),
    caPem: Type.Optional(Type.String()),
    hubReceiptKeyPem: Type.String(),
  },
  { additionalProperties: false },
);
export type EnrollmentFile = Static<typeof EnrollmentFile>;

export const enrollmentPath = (stateDir: string) => join(stateDir, 'keys', ENROLLMENT_FILE);

export class EnrollmentFileError extends Error {}

/** The box's enrollment; undefined when it never enrolled. A damaged file throws (it must be fixed, not ignored). */
export async function readEnrollment(stateDir: string): Promise<EnrollmentFile | undefined> {
  const file = enrollmentPath(stateDir);
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) =>
    err.code === 'ENOENT' ? undefined : Promise.reject(err),
  );
  if (text === undefined) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new EnrollmentFileError(
      `${file}: not valid JSON (${(err as Error).message}); enroll again: reception enroll --hub URL --code CODE`,
    );
  }
  if (!Value.Check(EnrollmentFile, data)) {
    const e = Value.Errors(EnrollmentFile, data).First();
    throw new EnrollmentFileError(`${file}: ${e?.path || '/'} ${e?.message ?? 'unexpected content'}; enroll again`);
  }
  return data;
}

/** Written 0600 from its first byte (fresh temp file, fsync, rename) in the 0700 keys directory. */
export async function writeEnrollment(stateDir: string, e: EnrollmentFile): Promise<string> {
  const file = enrollmentPath(stateDir);
  await writePrivateFile(file, `${JSON.stringify(e, null, 2)}\n`);
  return file;
}

/** The pinned receipt key as the raw 32 bytes receipts verify with. */
export function receiptKeyRaw(e: Pick<EnrollmentFile, 'hubReceiptKeyPem'>): Buffer | undefined {
  return ed25519KeyInfo(e.hubReceiptKeyPem)?.raw;
}

/** `https://hub:8090` → `wss://hub:8090/api/v1/signal` (http → ws). */
export function signalUrlOf(hubUrl: string, signalPath: string): string {
  const u = new URL(hubUrl);
  u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
  u.pathname = `${u.pathname.replace(/\/$/, '')}${signalPath}`;
  return u.toString();
}
