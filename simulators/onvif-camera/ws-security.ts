// WS-Security UsernameToken check (OASIS UsernameToken Profile 1.0), as ONVIF devices do it:
// PasswordDigest = Base64(SHA1(nonce bytes + Created + password)); PasswordText is compared as is.
import { createHash, timingSafeEqual } from 'node:crypto';
import { attr, child, text, type XmlNode } from './soap-request.js';

export interface UsernameToken {
  username: string;
  password: string;
  digest: boolean;
  nonce: string;
  created: string;
}

export type AuthResult = { ok: true } | { ok: false; reason: string };

/** Real devices reject tokens whose Created is far from their clock (replay window). */
export const MAX_SKEW_MS = 5 * 60_000;

export function passwordDigest(nonceBase64: string, created: string, password: string): string {
  const nonce = Buffer.from(nonceBase64, 'base64');
  return createHash('sha1')
    .update(Buffer.concat([nonce, Buffer.from(created, 'utf8'), Buffer.from(password, 'utf8')]))
    .digest('base64');
}

export function readUsernameToken(header: XmlNode): UsernameToken | undefined {
  const tok = child(child(header, 'Security'), 'UsernameToken');
  if (tok === undefined) return undefined;
  const pw = child(tok, 'Password');
  const type = attr(pw, 'Type') ?? '';
  return {
    username: text(child(tok, 'Username')),
    password: text(pw),
    // No Type attribute means PasswordText per the profile.
    digest: type.endsWith('#PasswordDigest'),
    nonce: text(child(tok, 'Nonce')),
    created: text(child(tok, 'Created')),
  };
}

const same = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

export function checkUsernameToken(
  tok: UsernameToken | undefined,
  creds: { username: string; password: string },
  nowMs: number,
): AuthResult {
  if (!tok) return { ok: false, reason: 'Sender not authorized: no WS-Security UsernameToken' };
  if (tok.username !== creds.username) return { ok: false, reason: 'Sender not authorized: unknown user' };
  if (!tok.digest) {
    return same(tok.password, creds.password) ? { ok: true } : { ok: false, reason: 'Sender not authorized: wrong password' };
  }
  if (!tok.nonce || !tok.created) return { ok: false, reason: 'Sender not authorized: digest without Nonce/Created' };
  const created = Date.parse(tok.created);
  if (Number.isNaN(created) || Math.abs(created - nowMs) > MAX_SKEW_MS) {
    return { ok: false, reason: 'Sender not authorized: Created outside the accepted time window' };
  }
  const expected = passwordDigest(tok.nonce, tok.created, creds.password);
  return same(tok.password, expected) ? { ok: true } : { ok: false, reason: 'Sender not authorized: wrong password digest' };
}
