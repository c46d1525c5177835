import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

// Ed25519 helpers. Public keys travel as the raw 32 bytes (base64 in JSON), private keys as PKCS#8 PEM.

export interface ApplianceKey {
  privateKeyPem: string;
  publicKeyRaw: Buffer;
}

const HEX64 = /^[0-9a-f]{64}$/;

export function generateApplianceKey(): ApplianceKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), publicKeyRaw: rawOf(publicKey) };
}

export function publicKeyRawFromPem(pem: string): Buffer {
  const key = createPrivateKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`not an Ed25519 key (${key.asymmetricKeyType})`);
  return rawOf(createPublicKey(key));
}

function publicKeyFromRaw(raw: Buffer): KeyObject {
  if (raw.length !== 32) throw new Error(`Ed25519 public key must be 32 bytes, got ${raw.length}`);
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
}

/** SPKI PEM of a raw Ed25519 public key (how the hub's registry keeps an appliance key). */
export function publicKeyPemFromRaw(raw: Buffer): string {
  return publicKeyFromRaw(raw).export({ format: 'pem', type: 'spki' }).toString();
}

/** Raw 32 bytes of an Ed25519 public key given as SPKI PEM (a private PEM gives its public half). */
export function publicKeyRawFromAnyPem(pem: string): Buffer {
  const key = pem.includes('PRIVATE KEY') ? createPublicKey(createPrivateKey(pem)) : createPublicKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`not an Ed25519 key (${key.asymmetricKeyType})`);
  return rawOf(key);
}

/** How people and logs name a key: hex SHA-256 of its SPKI DER (the registry's `fingerprint`). */
export function keyFingerprint(raw: Buffer): string {
  return createHash('sha256')
    .update(publicKeyFromRaw(raw).export({ format: 'der', type: 'spki' }))
    .digest('hex');
}

/** Signs the 32 raw bytes of a hex SHA-256 (not its hex text). */
export function signHash(hashHex: string, privateKeyPem: string): string {
  if (!HEX64.test(hashHex)) throw new Error('signHash: hash must be 64 lowercase hex digits');
  return sign(null, Buffer.from(hashHex, 'hex'), privateKeyPem).toString('base64');
}

export function verifyHashSig(hashHex: string, sigB64: string, publicKeyRaw: Buffer): boolean {
  if (!HEX64.test(hashHex)) return false;
  return verifyBytes(Buffer.from(hashHex, 'hex'), sigB64, publicKeyRaw);
}

/** Never throws: a malformed key or signature is simply not valid. */
export function verifyBytes(data: Buffer, sigB64: string, publicKeyRaw: Buffer): boolean {
  try {
    const sig = Buffer.from(sigB64, 'base64');
    if (sig.length !== 64 || sig.toString('base64') !== sigB64) return false; // reject non-canonical base64
    return verify(null, data, publicKeyFromRaw(publicKeyRaw), sig);
  } catch {
    return false;
  }
}

function rawOf(publicKey: KeyObject): Buffer {
  const jwk = publicKey.export({ format: 'jwk' });
  return Buffer.from(jwk.x as string, 'base64url');
}
