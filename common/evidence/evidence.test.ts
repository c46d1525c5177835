import { sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  generateApplianceKey,
  publicKeyRawFromPem,
  sealEntry,
  sha256Hex,
  signHash,
  verifyBytes,
  verifyHashSig,
} from './index.js';
import { RFC8032_PUBLIC, rfcKey } from './test/chain-fixture.js';

describe('canonicalJson / sha256Hex', () => {
  it('sorts keys recursively, keeps array order, drops undefined, no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: true, e: null }], c: 'x', u: undefined } })).toBe(
      '{"a":{"c":"x","d":[1,{"e":null,"f":true}]},"b":1}',
    );
    expect(canonicalJson({ tên: 'Nguyễn "A"\n' })).toBe('{"tên":"Nguyễn \\"A\\"\\n"}');
  });
  it('refuses values JSON would silently change', () => {
    expect(() => canonicalJson({ a: NaN })).toThrow(/non-finite/);
    expect(() => canonicalJson({ a: Infinity })).toThrow();
    expect(() => canonicalJson({ a: () => 1 })).toThrow();
  });
  it('known answers (FIPS 180-2 "abc"; sha256sum)', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex(Buffer.from('{"a":1}'))).toBe('015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862');
  });
});

describe('Ed25519 keys', () => {
  it('derives the RFC 8032 test-1 public key and verifies its signature of the empty message', () => {
    const key = rfcKey();
    expect(publicKeyRawFromPem(key.privateKeyPem).toString('hex')).toBe(RFC8032_PUBLIC);
    const rfcSig = Buffer.from(
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
      'hex',
    );
    expect(verifyBytes(Buffer.alloc(0), rfcSig.toString('base64'), key.publicKeyRaw)).toBe(true);
    expect(sign(null, Buffer.alloc(0), key.privateKeyPem).equals(rfcSig)).toBe(true);
  });

  it('generates fresh keys that sign and verify hashes; tampering fails, garbage never throws', () => {
    const k = generateApplianceKey();
    expect(k.publicKeyRaw).toHaveLength(32);
    expect(publicKeyRawFromPem(k.privateKeyPem).equals(k.publicKeyRaw)).toBe(true);
    const h = sha256Hex('x');
    const sig = signHash(h, k.privateKeyPem);
    expect(verifyHashSig(h, sig, k.publicKeyRaw)).toBe(true);
    expect(verifyHashSig(sha256Hex('y'), sig, k.publicKeyRaw)).toBe(false);
    expect(verifyHashSig(h, sig, generateApplianceKey().publicKeyRaw)).toBe(false);
    const flipped = Buffer.from(sig, 'base64');
    flipped[10] ^= 1;
    expect(verifyHashSig(h, flipped.toString('base64'), k.publicKeyRaw)).toBe(false);
    expect(verifyHashSig(h, 'not base64!', k.publicKeyRaw)).toBe(false);
    expect(verifyHashSig(h, sig, Buffer.alloc(5))).toBe(false);
    expect(verifyHashSig('XYZ', sig, k.publicKeyRaw)).toBe(false);
    expect(() => signHash('abc', k.privateKeyPem)).toThrow();
  });

  it('seals a known entry to the hash and signature computed independently (sha256sum, openssl pkeyutl)', () => {
    const key = rfcKey();
    const e = sealEntry(
      {
        kind: 'open',
        hearing: 'h1',
        at: '2024-05-06T07:08:09.000Z',
        room: 'room-a',
        publicKey: key.publicKeyRaw.toString('base64'),
        start: '2024-05-06T07:08:09.000Z',
      },
      null,
      key.privateKeyPem,
    );
    expect(e).toMatchObject({ v: 1, seq: 0, prev: '0'.repeat(64) });
    expect(e.hash).toBe('5cc2cabc097050f8d4a24110a5337aac77c3c46d5f297e469d14db2282946d26');
    expect(e.sig).toBe('+RTCwfR8CVB8pHzCrAv1YJhu6obudOqMPguU7pblNbtefF7SZR73EfloZ31OlrMMBYTaKTFTYZTs12HgmdLHAQ==');
  });
});
