import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PEOPLE_ROLES, type PersonRole } from '../auth/identity.js';
import { loadHubConfig } from '../config/load-config.js';
import { silentLogger } from '../../common/log.js';
import { openHubStore } from '../store/hub-store.js';
import { ACCOUNT_NAME, ACCOUNTS_FILE, type Account } from './account-file.js';
import { fileAccountStore, type AccountStore } from './account-store.js';
import { openPgAccountStore } from './account-store-pg.js';
import { hashPassword, passwordProblem } from './password.js';
import { passwordFromFile, promptPassword } from './read-password.js';
import { newTotpSecret, otpauthUri } from './totp.js';

// `reception hub user add|list|remove|passwd`: the hub's local accounts, in <stateDir>/accounts.json of
// the hub's config (or --state-dir), or in its PostgreSQL `store` when the config has one. A running hub
// (every node) sees the change on its next sign-in: no restart.

export const usage = `Usage: reception hub user add NAME --role ROLE[,ROLE…] [--totp] [--password-file F]
       reception hub user passwd NAME [--totp] [--password-file F]
       reception hub user remove NAME
       reception hub user list
  Every form takes [--config FILE | --state-dir DIR] (default: the hub's built-in stateDir var/hub);
  a config with \`store\` (PostgreSQL) changes the accounts there, for every hub node.

Tài khoản cán bộ của điểm trung tâm (đăng nhập bàn điều khiển) / The hub's local accounts (console sign-in).
Roles: ${PEOPLE_ROLES.join(', ')}.
The password is asked on the terminal (or read from the first line of --password-file F, or of a piped
stdin), at least 12 characters. --totp adds a second factor and prints the otpauth:// URI once (scan it
into an authenticator app); with passwd it replaces the TOTP secret.
Removing an account or changing its password ends its open sessions.
`;

class UsageError extends TypeError {
  code = 'ERR_PARSE_ARGS_USER';
}

function rolesOf(text: string | undefined): PersonRole[] {
  if (!text) throw new UsageError('--role is required (e.g. --role officer or --role officer,supervisor)');
  const roles = [...new Set(text.split(',').map((r) => r.trim()))];
  const bad = roles.filter((r) => !(PEOPLE_ROLES as readonly string[]).includes(r));
  if (bad.length) throw new UsageError(`unknown role ${bad.join(', ')} (known: ${PEOPLE_ROLES.join(', ')})`);
  return roles as PersonRole[];
}

async function newPassword(name: string, file: string | undefined): Promise<string> {
  const password = file ? passwordFromFile(file) : await promptPassword();
  const problem = passwordProblem(password, name);
  if (problem) throw new Error(problem);
  return password;
}

export async function runUserCommand(argv: string[], out: (s: string) => void = (s) => process.stdout.write(s)): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      config: { type: 'string', short: 'c' },
      'state-dir': { type: 'string' },
      role: { type: 'string' },
      totp: { type: 'boolean' },
      'password-file': { type: 'string' },
    },
  });
  const [action, rawName, ...extra] = positionals;
  if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`);
  const config = values['state-dir'] ? undefined : await loadHubConfig(values.config);
  const store = config?.store ? await openHubStore(config.store, silentLogger()) : undefined; // names the (redacted) URL when unreachable
  const accounts = store
    ? await openPgAccountStore({ ...store, logger: silentLogger() })
    : fileAccountStore(join(values['state-dir'] ?? config!.stateDir, ACCOUNTS_FILE));
  try {
    return await change(accounts, action, rawName, values, out);
  } finally {
    await accounts.close();
    await store?.close();
  }
}

async function change(
  store: AccountStore,
  action: string | undefined,
  rawName: string | undefined,
  values: { role?: string; totp?: boolean; 'password-file'?: string },
  out: (s: string) => void,
): Promise<number> {
  const file = store.where;
  const list = await store.list();
  if (action === 'list') {
    if (rawName) throw new UsageError('user list takes no name');
    for (const a of list) out(`${a.name}\t${a.roles.join(',')}\t${a.totpSecret ? 'totp' : 'password'}\t${a.createdAt}\n`);
    if (!list.length) out(`(chưa có tài khoản / no accounts in ${file})\n`);
    return 0;
  }
  if (!['add', 'remove', 'passwd'].includes(action ?? ''))
    throw new UsageError(`unknown action "${action ?? ''}" (add, list, remove, passwd)`);
  const name = (rawName ?? '').toLowerCase();
  if (!new RegExp(ACCOUNT_NAME).test(name)) throw new UsageError(`NAME must match ${ACCOUNT_NAME} (got "${rawName ?? ''}")`);
  const existing = list.find((a) => a.name === name);
  const now = new Date().toISOString();
  let totpSecret: string | undefined;

  if (action === 'add') {
    if (existing) return fail(`tài khoản đã có / account "${name}" exists (user passwd to change its password)`);
    const roles = rolesOf(values.role);
    const password = await hashPassword(await newPassword(name, values['password-file']));
    totpSecret = values.totp ? newTotpSecret() : undefined;
    const account: Account = { name, roles, password, createdAt: now, passwordChangedAt: now, ...(totpSecret ? { totpSecret } : {}) };
    if (!(await store.add(account))) return fail(`tài khoản đã có / account "${name}" exists (user passwd to change its password)`);
    out(`Đã tạo tài khoản / Account created: ${name} (${roles.join(', ')}) in ${file}\n`);
  } else if (!existing) {
    return fail(`không có tài khoản / no account "${name}" in ${file}`);
  } else if (action === 'remove') {
    if (!(await store.remove(name))) return fail(`không có tài khoản / no account "${name}" in ${file}`);
    out(`Đã xóa tài khoản / Account removed: ${name} (its sessions end)\n`);
  } else {
    const password = await hashPassword(await newPassword(name, values['password-file']));
    if (values.totp) totpSecret = newTotpSecret();
    if (!(await store.setPassword(name, password, now, totpSecret))) return fail(`không có tài khoản / no account "${name}" in ${file}`);
    out(`Đã đổi mật khẩu / Password changed: ${name} (its open sessions end)\n`);
  }
  if (totpSecret) out(`TOTP (quét bằng ứng dụng xác thực / scan into an authenticator app):\n${otpauthUri(name, totpSecret)}\n`);
  return 0;
}

function fail(message: string): number {
  process.stderr.write(`reception hub user: ${message}\n`);
  return 1;
}
