import type { SignedInUser } from '../auth/identity.js';
import type { AccountsView } from './account-file.js';
import { burnVerification, verifyPassword } from './password.js';
import type { SigninThrottle } from './throttle.js';
import type { createTotpChecker } from './totp.js';

// Signing in with a local account: name + password (+ TOTP when the account has one). An unknown name
// costs the same scrypt time as a wrong password and gets the same answer; both count against the name
// and the address (throttle.ts).

export type SigninResult =
  | { ok: true; user: SignedInUser }
  | { ok: false; why: 'wrong' | 'totp-required' | 'totp-wrong'; reason: string }
  | { ok: false; why: 'throttled'; reason: string; retryAfterMs: number };

export interface LocalSigninDeps {
  accounts: AccountsView;
  throttle: SigninThrottle;
  totp: ReturnType<typeof createTotpChecker>;
}

export async function localSignin(
  deps: LocalSigninDeps,
  input: { name: string; password: string; totp?: string; ip: string },
): Promise<SigninResult> {
  const name = input.name.trim().toLowerCase();
  const wait = deps.throttle.waitMs(name, input.ip);
  if (wait > 0) return { ok: false, why: 'throttled', reason: 'too many failed sign-ins', retryAfterMs: wait };
  const account = deps.accounts.find(name);
  const good = account
    ? await verifyPassword(input.password, account.password)
    : await burnVerification(input.password, deps.accounts.current().accounts[0]?.password);
  if (!account || !good) {
    deps.throttle.failed(name, input.ip);
    return { ok: false, why: 'wrong', reason: account ? 'wrong password' : 'unknown account' };
  }
  if (account.totpSecret) {
    if (!input.totp) return { ok: false, why: 'totp-required', reason: 'TOTP code missing' };
    if (!(await deps.totp.check(account.name, account.totpSecret, input.totp))) {
      deps.throttle.failed(name, input.ip);
      return { ok: false, why: 'totp-wrong', reason: 'wrong or reused TOTP code' };
    }
  }
  deps.throttle.succeeded(name);
  return { ok: true, user: { name: account.name, roles: [...account.roles], via: 'local' } };
}

/** For the session store: a local user's session lives while the account does and its password is unchanged. */
export function localStillValid(accounts: AccountsView) {
  return (user: SignedInUser, startedAt: number): SignedInUser | undefined => {
    if (user.via !== 'local') return user;
    const a = accounts.find(user.name);
    if (!a || Date.parse(a.passwordChangedAt) > startedAt) return undefined;
    return { ...user, roles: [...a.roles] };
  };
}
