import { readAccounts, writeAccounts, watchAccounts, type Account, type AccountsView } from './account-file.js';

// The hub's local accounts as an aggregate with two backends: the file (<stateDir>/accounts.json, this
// file: `reception hub user` rewrites it whole, the running hub re-reads it when it changed) and
// PostgreSQL (account-store-pg.ts: every hub node and the CLI on one table). Both pass
// test/account-suite.ts. The hub signs people in from `view` (synchronous: sessions ask on every request).

export interface AccountStore {
  view: AccountsView;
  /** Where the accounts live, for the CLI's messages (a file path, or the database with its password hidden). */
  where: string;
  list(): Promise<Account[]>;
  /** false: an account with that name exists. */
  add(account: Account): Promise<boolean>;
  /** false: no such account. */
  remove(name: string): Promise<boolean>;
  /** A new password (and TOTP secret when given): sessions opened before `changedAt` end. false: no such account. */
  setPassword(name: string, password: Account['password'], changedAt: string, totpSecret?: string): Promise<boolean>;
  close(): Promise<void>;
}

export function fileAccountStore(file: string, onProblem: (message: string) => void = () => {}): AccountStore {
  const change = async (fn: (accounts: Account[]) => Account[] | undefined): Promise<boolean> => {
    const doc = readAccounts(file);
    const next = fn(doc.accounts);
    if (!next) return false;
    await writeAccounts(file, { ...doc, accounts: next });
    return true;
  };
  return {
    view: watchAccounts(file, onProblem),
    where: file,
    list: async () => readAccounts(file).accounts,
    add: (account) => change((list) => (list.some((a) => a.name === account.name) ? undefined : [...list, account])),
    remove: (name) => change((list) => (list.some((a) => a.name === name) ? list.filter((a) => a.name !== name) : undefined)),
    setPassword: (name, password, changedAt, totpSecret) =>
      change((list) =>
        list.some((a) => a.name === name)
          ? list.map((a) => (a.name === name ? { ...a, password, passwordChangedAt: changedAt, ...(totpSecret ? { totpSecret } : {}) } : a))
          : undefined,
      ),
    close: async () => {},
  };
}
