// WS-Security UsernameToken (OASIS UsernameToken Profile 1.0) as ONVIF clients send it and devices check
// it: PasswordDigest = Base64(SHA1(nonce bytes + Created + password)); PasswordText is compared as is.
import { createHash, timingSafeEqual } from 'node:crypto';
import { WSSE } from './namespaces.js';
import { xmlEscape } from './xml-escape.js';
import { attr, child, text, type XmlNode } from './xml-tree.js';

export interface UsernameTokenOptions {
  username: string;
  password: string;
  /** Fresh random bytes per request (16 is usual). */
  nonce: Buffer;
  /** ISO time on the camera's clock (our clock plus its offset). */
  created: string;
  /** PasswordText instead of PasswordDigest (only for devices that refuse digests). */
  plain?: boolean;
}

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

/** The `<wsse:Security>` header block; it marks itself mustUnderstand on the `s:` envelope prefix. */
export function usernameTokenXml(o: UsernameTokenOptions): string {
  const nonce = o.nonce.toString('base64');
  const pw = o.plain ? o.password : passwordDigest(nonce, o.created, o.password);
  return (
    `<wsse:Security s:mustUnderstand="1" xmlns:wsse="${WSSE.secext}" xmlns:wsu="${WSSE.utility}"><wsse:UsernameToken>` +
    `<wsse:Username>${xmlEscape(o.username)}</wsse:Username>` +
    `<wsse:Password Type="${o.plain ? WSSE.passwordText : WSSE.passwordDigest}">${xmlEscape(pw)}</wsse:Password>` +
    `<wsse:Nonce EncodingType="${WSSE.base64Binary}">${nonce}</wsse:Nonce><wsu:Created>${xmlEscape(o.created)}</wsu:Created>` +
    `</wsse:UsernameToken></wsse:Security>`
  );
}

/** The token of a request header (local-name tree), prefixed or default-namespace style alike. */
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
