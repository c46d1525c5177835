import type pg from 'pg';
import type { Logger } from '../../common/log.js';
import { listenPg } from '../../common/storage/pg/listener.js';
import { listenerReady } from '../../common/storage/pg/listener-ready.js';
import { guarded, redactPgUrl } from '../../common/storage/pg/pool.js';
import { inTransaction } from '../../common/storage/pg/transaction.js';
import type { Account, AccountsDocument } from './account-file.js';
import type { AccountStore } from './account-store.js';

// Local accounts in PostgreSQL (migration 012). Each hub node keeps them in memory for sign-in and the
// sessions' check on every request, reloaded after its own changes and when another node or the CLI
// announces one (NOTIFY accounts_changed, and each time its LISTEN is in place): a removed account or a new
// password ends its sessions on every node at their next request, as the file does on one.

const CHANNEL = 'accounts_changed';

interface Row {
  name: string;
  roles: Account['roles'];
  password: Account['password'];
  totp_secret: string | null;
  created_at: Date;
  password_changed_at: Date;
}

const accountOf = (r: Row): Account => ({
  name: r.name,
  roles: r.roles,
  password: r.password,
  ...(r.totp_secret ? { totpSecret: r.totp_secret } : {}),
  createdAt: r.created_at.toISOString(),
  passwordChangedAt: r.password_changed_at.toISOString(),
});

export async function openPgAccountStore(deps: { pool: pg.Pool; url: string; logger: Logger }): Promise<AccountStore> {
  const load = async () => {
    const { rows } = await guarded(() => deps.pool.query<Row>('SELECT * FROM accounts ORDER BY ord'));
    return rows.map(accountOf);
  };
  let doc: AccountsDocument = { version: 1, accounts: await load() };
  let loading: Promise<void> = Promise.resolve();
  const reload = () =>
    (loading = loading
      .then(async () => void (doc = { version: 1, accounts: await load() }))
      .catch((err) =>
        deps.logger.error({ err }, 'ACCOUNTS NOT RELOADED: this node signs people in with an old copy until the next change'),
      ));
  const listener = listenPg({ url: deps.url, channel: CHANNEL, onNotify: reload, onListening: reload, logger: deps.logger });
  await listenerReady(listener, CHANNEL);

  /** One change and its notice in one transaction; true when a row changed. */
  const change = async (sql: string, values: unknown[]) => {
    const n = await inTransaction(deps.pool, async (c) => {
      const r = await c.query(sql, values);
      if (r.rowCount) await c.query('SELECT pg_notify($1, $2)', [CHANNEL, String(values[0])]);
      return r.rowCount ?? 0;
    });
    if (n) await reload();
    return n > 0;
  };

  return {
    view: {
      current: () => doc,
      find: (name) => doc.accounts.find((a) => a.name === name),
    },
    where: redactPgUrl(deps.url),
    list: load,
    add: (a) =>
      change(
        `INSERT INTO accounts (name, roles, password, totp_secret, created_at, password_changed_at) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (name) DO NOTHING`,
        [a.name, a.roles, JSON.stringify(a.password), a.totpSecret ?? null, a.createdAt, a.passwordChangedAt],
      ),
    remove: (name) => change('DELETE FROM accounts WHERE name = $1', [name]),
    setPassword: (name, password, changedAt, totpSecret) =>
      change('UPDATE accounts SET password = $2, password_changed_at = $3, totp_secret = COALESCE($4, totp_secret) WHERE name = $1', [
        name,
        JSON.stringify(password),
        changedAt,
        totpSecret ?? null,
      ]),
    close: async () => {
      await listener.close();
      await loading;
    },
  };
}
