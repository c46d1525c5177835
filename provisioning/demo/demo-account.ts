import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACCOUNTS_FILE, readAccounts } from '../../hub/accounts/account-file.js';
import { runUserCommand } from '../../hub/accounts/user-command.js';

// The demo's officer account: made through `reception hub user add` on the first start, its password
// kept in <demo dir>/demo-account.txt (0600) and printed, so the sign-in page can be tried as a province
// would use it. The same account and password after a restart.

export const DEMO_ACCOUNT = 'can-bo-demo';
const ROLES = 'officer,supervisor,archivist,technician,monitor';

export async function ensureDemoAccount(dir: string, hubStateDir: string): Promise<{ name: string; password: string; file: string }> {
  const file = join(dir, 'demo-account.txt');
  const accounts = join(hubStateDir, ACCOUNTS_FILE);
  const known = existsSync(accounts) && readAccounts(accounts).accounts.some((a) => a.name === DEMO_ACCOUNT);
  if (known && existsSync(file)) return { name: DEMO_ACCOUNT, password: readFileSync(file, 'utf8').split('\n')[0]!, file };
  const password = randomBytes(12).toString('base64url'); // 16 random characters
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  const action = known ? 'passwd' : 'add';
  const roles = known ? [] : ['--role', ROLES];
  const code = await runUserCommand([action, DEMO_ACCOUNT, ...roles, '--password-file', file, '--state-dir', hubStateDir], () => {});
  if (code !== 0) throw new Error(`could not make the demo account (reception hub user ${action} exited ${code})`);
  return { name: DEMO_ACCOUNT, password, file };
}
