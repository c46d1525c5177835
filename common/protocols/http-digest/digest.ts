// HTTP Digest access authentication, both sides (RFC 7616, and RFC 2617/2069 where a camera still speaks
// them): the client's Authorization for a challenge, the server's challenge and its check. Pure: the
// caller brings the randomness (cnonce, nonce) and keeps the nonce count. `userhash` is not supported.
import { createHash, timingSafeEqual } from 'node:crypto';
import { quote, type Challenge } from './params.js';

export const DIGEST_ALGORITHMS = ['SHA-256', 'MD5', 'SHA-512-256', 'SHA-256-sess', 'MD5-sess', 'SHA-512-256-sess'] as const;
export type DigestAlgorithm = (typeof DIGEST_ALGORITHMS)[number];

const HASH: Record<string, string> = { 'SHA-256': 'sha256', MD5: 'md5', 'SHA-512-256': 'sha512-256' };

function algorithmOf(raw: string | undefined): DigestAlgorithm | undefined {
  // No algorithm parameter means MD5 (RFC 7616 §3.3); names are case-insensitive.
  const a = (raw ?? 'MD5').toUpperCase();
  return DIGEST_ALGORITHMS.find((x) => x.toUpperCase() === a);
}

function h(alg: DigestAlgorithm, s: string): string {
  return createHash(HASH[alg.replace(/-sess$/, '')]!)
    .update(s, 'utf8')
    .digest('hex');
}

export interface DigestInput {
  method: string;
  /** request-target exactly as sent (path and query): some cameras refuse a uri that differs. */
  uri: string;
  username: string;
  password: string;
  realm: string;
  nonce: string;
  algorithm: DigestAlgorithm;
  /** 'auth' or none (RFC 2069 style, no cnonce/nc). auth-int is never chosen. */
  qop?: 'auth';
  cnonce?: string;
  /** Nonce count, 8 hex digits on the wire. */
  nc?: number;
}

export const ncHex = (n: number) => n.toString(16).padStart(8, '0');

/** The request-digest ("response") of RFC 7616 §3.4.1. */
export function digestResponse(d: DigestInput): string {
  let ha1 = h(d.algorithm, `${d.username}:${d.realm}:${d.password}`);
  if (d.algorithm.endsWith('-sess')) ha1 = h(d.algorithm, `${ha1}:${d.nonce}:${d.cnonce ?? ''}`);
  const ha2 = h(d.algorithm, `${d.method}:${d.uri}`);
  if (!d.qop) return h(d.algorithm, `${ha1}:${d.nonce}:${ha2}`);
  return h(d.algorithm, `${ha1}:${d.nonce}:${ncHex(d.nc ?? 1)}:${d.cnonce ?? ''}:${d.qop}:${ha2}`);
}

export interface ChosenChallenge {
  realm: string;
  nonce: string;
  opaque?: string;
  algorithm: DigestAlgorithm;
  qop?: 'auth';
  stale: boolean;
}

/** The first Digest challenge we can answer (servers list them most preferred first, RFC 7616 §3.7). */
export function chooseChallenge(challenges: Challenge[]): ChosenChallenge | undefined {
  for (const c of challenges) {
    if (c.scheme !== 'digest' || c.params.nonce === undefined) continue;
    const algorithm = algorithmOf(c.params.algorithm);
    if (!algorithm) continue;
    const qops = (c.params.qop ?? '').split(',').map((q) => q.trim().toLowerCase());
    if (c.params.qop !== undefined && !qops.includes('auth')) continue; // auth-int only: cannot answer
    return {
      realm: c.params.realm ?? '',
      nonce: c.params.nonce,
      ...(c.params.opaque !== undefined ? { opaque: c.params.opaque } : {}),
      algorithm,
      ...(c.params.qop !== undefined ? { qop: 'auth' as const } : {}),
      stale: (c.params.stale ?? '').toLowerCase() === 'true',
    };
  }
  return undefined;
}

/** Authorization header value answering `c`. */
export function authorizationHeader(
  c: ChosenChallenge,
  r: { method: string; uri: string; username: string; password: string; cnonce: string; nc: number },
): string {
  const response = digestResponse({ ...r, realm: c.realm, nonce: c.nonce, algorithm: c.algorithm, qop: c.qop });
  const parts = [
    `username=${quote(r.username)}`,
    `realm=${quote(c.realm)}`,
    `nonce=${quote(c.nonce)}`,
    `uri=${quote(r.uri)}`,
    `algorithm=${c.algorithm}`,
    `response=${quote(response)}`,
    ...(c.opaque !== undefined ? [`opaque=${quote(c.opaque)}`] : []),
    ...(c.qop ? [`qop=${c.qop}`, `nc=${ncHex(r.nc)}`, `cnonce=${quote(r.cnonce)}`] : []),
  ];
  return `Digest ${parts.join(', ')}`;
}

/** A WWW-Authenticate value (server side); send one header per algorithm, preferred first. */
export function challengeHeader(o: { realm: string; nonce: string; algorithm: DigestAlgorithm; qop?: 'auth'; stale?: boolean }): string {
  const qop = o.qop ? `qop=${quote(o.qop)}, ` : '';
  // Hikvision writes stale="FALSE" quoted and upper-case; RFC 7616 reads it case-insensitively.
  return `Digest ${qop}realm=${quote(o.realm)}, nonce=${quote(o.nonce)}, algorithm=${o.algorithm}, stale=${quote(o.stale ? 'TRUE' : 'FALSE')}`;
}

export type DigestCheck = { ok: true; nonce: string; nc: number } | { ok: false; reason: string; nonce?: string };

/** Server side: checks an Authorization's params (parseCredentials) against the password; the caller checks the nonce. */
export function checkDigest(
  p: Record<string, string> | undefined,
  expect: { method: string; uri: string; username: string; password: string; realm: string },
): DigestCheck {
  if (!p) return { ok: false, reason: 'no Digest credentials' };
  const algorithm = algorithmOf(p.algorithm);
  if (!algorithm) return { ok: false, reason: `unsupported algorithm ${p.algorithm}` };
  if (p.username !== expect.username) return { ok: false, reason: 'unknown user' };
  if (p.realm !== expect.realm) return { ok: false, reason: 'wrong realm' };
  // The uri must be the request-target actually requested (Hikvision: "The url does not match the nonce url").
  if (p.uri !== expect.uri) return { ok: false, reason: 'uri does not match the request' };
  if (!p.nonce || !p.response) return { ok: false, reason: 'no nonce or response' };
  const qop = p.qop?.toLowerCase();
  if (qop !== undefined && qop !== 'auth') return { ok: false, reason: `unsupported qop ${p.qop}` };
  const nc = qop ? Number.parseInt(p.nc ?? '', 16) : 0;
  if (qop && !(nc > 0)) return { ok: false, reason: 'bad nonce count' };
  const want = digestResponse({ ...expect, nonce: p.nonce, algorithm, qop: qop ? 'auth' : undefined, cnonce: p.cnonce, nc });
  const a = Buffer.from(want);
  const b = Buffer.from(p.response.toLowerCase());
  if (a.length !== b.length || !timingSafeEqual(a, b)) return { ok: false, reason: 'wrong password', nonce: p.nonce };
  return { ok: true, nonce: p.nonce, nc };
}
