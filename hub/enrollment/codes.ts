import { randomBytes } from 'node:crypto';
import { open, readFile, rm, stat } from 'node:fs/promises';
import { writePrivateFile } from '../../common/storage/private-file.js';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { codeKey, macEquals, newEnrollmentCode, requestMac, type EnrollRequest } from '../../common/contracts/enrollment.js';

// One-time enrollment codes (`<stateDir>/enrollment-codes.json`, 0600). The code itself is shown once
// to the technician and never stored or logged: the file keeps only the HMAC key derived from it (and
// the room), which is what verifies the box's request and signs the hub's answer. Re-read at every use,
// so `reception hub enroll-code` can issue codes into the state dir of a running hub.

const StoredCode = Type.Object({
  id: Type.String(),
  room: Type.String(),
  name: Type.String(),
  macKey: Type.String({ pattern: '^[0-9a-f]{64}$' }),
  issuedAt: Type.String(),
  issuedBy: Type.String(),
  expiresAt: Type.String(),
  usedAt: Type.Optional(Type.String()),
  usedBy: Type.Optional(Type.String({ description: 'fingerprint of the key enrolled with it' })),
});
export type StoredCode = Static<typeof StoredCode>;
/** The file's shape (also read by `reception hub migrate --import-files`, hub/store/import-read.ts). */
export const CodesFile = Type.Object({ version: Type.Literal(1), codes: Type.Array(StoredCode) });
type CodesData = Static<typeof CodesFile>;

export const CODES_FILE = 'enrollment-codes.json';
/** Used or expired codes are forgotten this long after. */
export const CODE_KEEP_MS = 7 * 86_400_000;

export type CodeRefusal = { ok: false; code: 'CODE_WRONG' | 'CODE_EXPIRED' | 'CODE_USED'; reason: string };
export type CodeMatch = { ok: true; stored: StoredCode; key: Buffer } | CodeRefusal;

export interface CodeStore {
  issue(i: { room: string; name: string; ttlMinutes: number; by: string }): Promise<{ code: string; expiresAt: string; id: string }>;
  /** The code the request was MACed with: unknown, expired or used → the reason. Does not use it up. */
  match(req: EnrollRequest): Promise<CodeMatch>;
  /** Marks the code used (after the room was registered). */
  use(id: string, fingerprint: string): Promise<void>;
  /** Codes still usable, without their keys (the console's list). */
  pending(): Promise<Omit<StoredCode, 'macKey'>[]>;
}

/** The room's code whose key MACs the request, if any: used, expired or good (both backends decide alike). */
export function matchCode(codes: StoredCode[], req: EnrollRequest, now: Date): CodeMatch {
  for (const c of codes) {
    const key = Buffer.from(c.macKey, 'hex');
    if (!macEquals(requestMac(key, req), req.mac)) continue;
    if (c.usedAt) return { ok: false, code: 'CODE_USED', reason: `this enrollment code was already used at ${c.usedAt}` };
    if (Date.parse(c.expiresAt) <= now.getTime())
      return { ok: false, code: 'CODE_EXPIRED', reason: `this enrollment code expired at ${c.expiresAt}; ask for a new one` };
    return { ok: true, stored: c, key };
  }
  return { ok: false, code: 'CODE_WRONG', reason: `wrong enrollment code for room "${req.room}" (or no code was issued for it)` };
}

export function createCodeStore(opts: { file?: string; now?: () => Date }): CodeStore {
  const now = opts.now ?? (() => new Date());
  let memory: CodesData = { version: 1, codes: [] };
  let chain: Promise<unknown> = Promise.resolve();
  /** One read-modify-write at a time: in this process (a chain) and across processes (a lock file). */
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const locked = () => withFileLock(opts.file, fn);
    const run = chain.then(locked, locked);
    chain = run.catch(() => {});
    return run;
  };

  async function load(): Promise<CodesData> {
    if (!opts.file) return memory;
    const text = await readFile(opts.file, 'utf8').catch((err: NodeJS.ErrnoException) =>
      err.code === 'ENOENT' ? null : Promise.reject(err),
    );
    if (text === null) return { version: 1, codes: [] };
    const data = JSON.parse(text) as unknown;
    if (!Value.Check(CodesFile, data)) throw new Error(`${opts.file}: not an enrollment codes file`);
    return data;
  }
  async function store(data: CodesData): Promise<void> {
    const t = now().getTime();
    data.codes = data.codes.filter((c) => Date.parse(c.usedAt ?? c.expiresAt) + CODE_KEEP_MS > t);
    if (!opts.file) {
      memory = data;
      return;
    }
    await writePrivateFile(opts.file, JSON.stringify(data, null, 2));
  }

  return {
    issue: ({ room, name, ttlMinutes, by }) =>
      serial(async () => {
        const data = await load();
        const code = newEnrollmentCode();
        const issuedAt = now();
        const stored: StoredCode = {
          id: randomBytes(8).toString('hex'),
          room,
          name,
          macKey: codeKey(code, room).toString('hex'),
          issuedAt: issuedAt.toISOString(),
          issuedBy: by,
          expiresAt: new Date(issuedAt.getTime() + ttlMinutes * 60_000).toISOString(),
        };
        data.codes.push(stored);
        await store(data);
        return { code, expiresAt: stored.expiresAt, id: stored.id };
      }),
    async match(req) {
      const data = await load();
      return matchCode(
        data.codes.filter((x) => x.room === req.room),
        req,
        now(),
      );
    },
    use: (id, fingerprint) =>
      serial(async () => {
        const data = await load();
        const c = data.codes.find((x) => x.id === id);
        if (!c) throw new Error('enrollment code vanished');
        if (c.usedAt) throw Object.assign(new Error(`this enrollment code was already used at ${c.usedAt}`), { used: true });
        c.usedAt = now().toISOString();
        c.usedBy = fingerprint;
        await store(data);
      }),
    async pending() {
      const t = now().getTime();
      return (await load()).codes.filter((c) => !c.usedAt && Date.parse(c.expiresAt) > t).map(({ macKey: _k, ...c }) => c);
    },
  };
}

/**
 * `<file>.lock` (O_EXCL) around a read-modify-write, so `reception hub enroll-code` issuing into the state
 * dir and the running hub using a code never lose each other's change. A lock older than 10 s is stale (a
 * killed process) and taken over; waiting longer than 5 s is an error.
 */
async function withFileLock<T>(file: string | undefined, fn: () => Promise<T>): Promise<T> {
  if (!file) return fn();
  const lock = `${file}.lock`;
  const deadline = Date.now() + 5000;
  for (;;) {
    try {
      await (await open(lock, 'wx', 0o600)).close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const age = await stat(lock).then(
        (st) => Date.now() - st.mtimeMs,
        () => 0,
      );
      if (age > 10_000) await rm(lock, { force: true });
      else if (Date.now() > deadline) throw new Error(`${lock} is held by another process; try again`);
      else await new Promise((r) => setTimeout(r, 20));
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lock, { force: true });
  }
}
