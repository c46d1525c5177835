import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createPublicKey,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';

// Enrollment of a room appliance at the hub (hub/enrollment ⇄ `reception enroll`), one definition for
// both sides. The technician's one-time code never crosses the wire: both sides derive an HMAC key from
// it (bound to the room id), the box MACs its request with it, the hub MACs its answer. A box trusts the
// hub's answer (token, CA, receipt key) only when that MAC verifies: the hub is authenticated by the
// code, even over a TLS connection the box cannot verify yet (no trust on first use).

export const ENROLL_ROUTE = '/enroll';
export const ENROLLMENT_CODES_ROUTE = '/enrollment/codes';
export const REGISTRY_ROOMS_ROUTE = '/registry/rooms';
export const REGISTRY_REVOKE_ROUTE = '/registry/rooms/:id/revoke';

/** Crockford base32 (no I, L, O, U): 16 characters = 80 bits, written XXXX-XXXX-XXXX-XXXX. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const CODE_CHARS = 16;

export const RoomId = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,63}$', description: 'room id' });

export const EnrollRequest = Type.Object(
  {
    room: RoomId,
    publicKeyPem: Type.String({ minLength: 40, maxLength: 400, description: "the appliance's Ed25519 public key, SPKI PEM" }),
    nonce: Type.String({ pattern: '^[A-Za-z0-9_-]{22,64}$', description: 'random, base64url (≥ 128 bits)' }),
    mac: Type.String({ pattern: '^[0-9a-f]{64}$', description: 'HMAC-SHA256 with the key derived from the code (requestMac)' }),
  },
  { additionalProperties: false },
);
export type EnrollRequest = Static<typeof EnrollRequest>;

export const EnrollAnswer = Type.Object(
  {
    room: Type.String(),
    name: Type.String({ description: 'room name given with the code' }),
    roomTokenSealed: Type.String({
      description:
        "the room's credential (Bearer), bound to the enrolled key — sealed (AES-256-GCM, key from the code): an eavesdropper on a TLS the box cannot check yet learns nothing",
    }),
    fingerprint: Type.String({ description: 'sha256 of the enrolled key (SPKI DER), hex' }),
    validFrom: Type.String(),
    caPem: Type.Optional(Type.String({ description: "the hub's TLS CA (absent when the hub serves plain http)" })),
    hubReceiptKeyPem: Type.String({ description: "the hub's Ed25519 receipt key, SPKI PEM" }),
    mac: Type.String({ description: 'HMAC-SHA256 over the nonce and every field (answerMac)' }),
  },
  { additionalProperties: false },
);
export type EnrollAnswer = Static<typeof EnrollAnswer>;

export function newEnrollmentCode(): string {
  const bytes = randomBytes(CODE_CHARS);
  const chars = [...bytes].map((b) => ALPHABET[b & 31]).join(''); // 5 bits of each byte: uniform
  return chars.match(/.{4}/g)!.join('-');
}

/** What the technician typed, as the hub issued it: case, dashes and spaces ignored; O→0, I/L→1. */
export function normalizeCode(typed: string): string | undefined {
  const s = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return s.length === CODE_CHARS && [...s].every((c) => ALPHABET.includes(c)) ? s : undefined;
}

/** The HMAC key both sides derive from the code; bound to the room, so a code works for its room only. */
export function codeKey(code: string, room: string): Buffer {
  const normal = normalizeCode(code);
  if (!normal) throw new Error(`an enrollment code is ${CODE_CHARS} characters (XXXX-XXXX-XXXX-XXXX)`);
  return Buffer.from(hkdfSync('sha256', normal, 'reception-enroll-v1', `mac:${room}`, 32));
}

const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const hmac = (key: Buffer, text: string) => createHmac('sha256', key).update(text, 'utf8').digest('hex');

export function requestMac(key: Buffer, r: Omit<EnrollRequest, 'mac'>): string {
  return hmac(key, ['reception-enroll-request-v1', r.room, r.nonce, sha(r.publicKeyPem)].join('\n'));
}

export function answerMac(key: Buffer, nonce: string, a: Omit<EnrollAnswer, 'mac'>): string {
  const fields = [a.room, a.name, a.roomTokenSealed, a.fingerprint, a.validFrom, a.caPem ?? '', a.hubReceiptKeyPem];
  return hmac(key, ['reception-enroll-answer-v1', nonce, ...fields.map(sha)].join('\n'));
}

const tokenKey = (key: Buffer, nonce: string) => Buffer.from(hkdfSync('sha256', key, nonce, 'reception-enroll-token', 32));

/** The room token as the hub sends it: AES-256-GCM under a key derived from the code's key and the box's nonce. */
export function sealToken(key: Buffer, nonce: string, token: string): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', tokenKey(key, nonce), iv);
  const body = Buffer.concat([c.update(token, 'utf8'), c.final()]);
  return Buffer.concat([iv, body, c.getAuthTag()]).toString('base64url');
}

/** The token back; undefined when it was not sealed with this code and nonce. */
export function openToken(key: Buffer, nonce: string, sealed: string): string | undefined {
  const raw = Buffer.from(sealed, 'base64url');
  if (raw.length < 12 + 16 + 1) return undefined;
  try {
    const d = createDecipheriv('aes-256-gcm', tokenKey(key, nonce), raw.subarray(0, 12), { authTagLength: 16 });
    d.setAuthTag(raw.subarray(raw.length - 16));
    return Buffer.concat([d.update(raw.subarray(12, raw.length - 16)), d.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

/** Constant-time comparison of two hex MACs. */
export function macEquals(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === 32 && y.length === 32 && timingSafeEqual(x, y);
}

/** An Ed25519 public key as SPKI PEM or raw base64 (the manifest's `open`) → its PEM and fingerprint; undefined if it is not one. */
export function ed25519KeyInfo(key: string): { pem: string; fingerprint: string; raw: Buffer } | undefined {
  try {
    const k = key.includes('BEGIN')
      ? createPublicKey(key)
      : createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(key, 'base64').toString('base64url') }, format: 'jwk' });
    if (k.asymmetricKeyType !== 'ed25519') return undefined;
    const der = k.export({ type: 'spki', format: 'der' });
    return {
      pem: k.export({ type: 'spki', format: 'pem' }).toString(),
      fingerprint: createHash('sha256').update(der).digest('hex'),
      raw: Buffer.from(der.subarray(der.length - 32)),
    };
  } catch {
    return undefined;
  }
}
