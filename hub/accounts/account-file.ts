import { chmodSync, readFileSync, statSync } from 'node:fs';
import { writePrivateFile } from '../../common/storage/private-file.js';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { PEOPLE_ROLES } from '../auth/identity.js';

// `<stateDir>/accounts.json` (0600): the hub's local accounts. Written by `reception hub user …` (whole
// file: temp file created 0600, fsync, rename) and read by the running hub, which notices a change by
// the file's identity (inode, size, mtime) on its next use — no restart, no watcher to lose.

export const ACCOUNTS_FILE = 'accounts.json';
export const ACCOUNT_NAME = '^[a-z0-9][a-z0-9._@-]{0,63}$';

const Hash = Type.Object({
  algo: Type.Literal('scrypt'),
  N: Type.Integer({ minimum: 1024 }),
  r: Type.Integer({ minimum: 1 }),
  p: Type.Integer({ minimum: 1 }),
  salt: Type.String(),
  hash: Type.String(),
});

export const Account = Type.Object({
  name: Type.String({ pattern: ACCOUNT_NAME }),
  roles: Type.Array(Type.Union(PEOPLE_ROLES.map((r) => Type.Literal(r))), { minItems: 1 }),
  password: Hash,
  /** base32 TOTP secret (otpauth), when the account signs in with a second factor. */
  totpSecret: Type.Optional(Type.String({ pattern: '^[A-Z2-7]{16,}$' })),
  createdAt: Type.String(),
  /** Changes with every new password: sessions opened before it end. */
  passwordChangedAt: Type.String(),
});
export type Account = Static<typeof Account>;

export const AccountsDocument = Type.Object({ version: Type.Literal(1), accounts: Type.Array(Account) });
export type AccountsDocument = Static<typeof AccountsDocument>;

export class AccountFileError extends Error {}

/** Reads and checks the file; a missing file is no accounts. */
export function readAccounts(file: string): AccountsDocument {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, accounts: [] };
    throw err;
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new AccountFileError(`${file}: not valid JSON (${(err as Error).message})`);
  }
  if (!Value.Check(AccountsDocument, doc)) {
    const e = Value.Errors(AccountsDocument, doc).First();
    throw new AccountFileError(`${file}: at ${e?.path || '/'}: ${e?.message ?? 'unexpected content'}`);
  }
  return doc;
}

/** Writes the whole document; the file never exists with another mode than 0600. */
export async function writeAccounts(file: string, doc: AccountsDocument): Promise<void> {
  await writePrivateFile(file, `${JSON.stringify(doc, null, 2)}\n`);
}

/** The accounts as the running hub sees them: re-read when the file changed, the last good copy kept if it broke. */
export function watchAccounts(file: string, onProblem: (message: string) => void) {
  let seen = '';
  let doc: AccountsDocument = { version: 1, accounts: [] };
  const identity = () => {
    let s: ReturnType<typeof statSync>;
    try {
      s = statSync(file);
    } catch {
      return 'none';
    }
    if (s.mode & 0o077) {
      try {
        chmodSync(file, 0o600); // written by hand with the default mode: tighten
      } catch (err) {
        onProblem(
          `${file} is readable by others (mode ${(s.mode & 0o777).toString(8)}) and cannot be tightened: ${(err as Error).message}`,
        );
      }
    }
    return `${s.ino}:${s.size}:${s.mtimeMs}`;
  };
  return {
    current(): AccountsDocument {
      const now = identity();
      if (now === seen) return doc;
      seen = now;
      try {
        doc = readAccounts(file);
      } catch (err) {
        onProblem((err as Error).message);
      }
      return doc;
    },
    find(name: string): Account | undefined {
      return this.current().accounts.find((a) => a.name === name);
    },
  };
}
export type AccountsView = ReturnType<typeof watchAccounts>;
