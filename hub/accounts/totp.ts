import { generateSecret, generateURI, verify } from 'otplib';

// The optional second factor of a local account: TOTP (RFC 6238, 30 s, 6 digits, SHA-1 — what every
// authenticator app reads from an otpauth:// URI). A code is accepted one step either side of now, and
// never twice: the last step used per account is kept (in memory) and only later steps pass.

export const TOTP_ISSUER = 'Tiếp công dân';

export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

/** otpauth://totp/<issuer>:<name>?secret=… for the authenticator app (printed once by `user add --totp`). */
export function otpauthUri(name: string, secret: string, issuer = TOTP_ISSUER): string {
  return generateURI({ issuer, label: name, secret });
}

export function createTotpChecker(now: () => number = Date.now) {
  const lastStep = new Map<string, number>();
  return {
    /** True when `code` is the account's current code and was not used before. */
    async check(account: string, secret: string, code: string | undefined): Promise<boolean> {
      if (!code || !/^\d{6}$/.test(code)) return false;
      const after = lastStep.get(account);
      const r = await verify({
        secret,
        token: code,
        epoch: Math.floor(now() / 1000),
        epochTolerance: 30,
        ...(after === undefined ? {} : { afterTimeStep: after }),
      }).catch(() => ({ valid: false as const }));
      if (!r.valid || !('timeStep' in r)) return false;
      lastStep.set(account, r.timeStep);
      return true;
    },
  };
}
