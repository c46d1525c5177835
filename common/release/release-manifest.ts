import { createHash } from 'node:crypto';
import { type Static, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { canonicalJson } from '../evidence/canonical.js';
import { keyFingerprint, signHash, verifyHashSig } from '../evidence/keys.js';

// A software release for the room boxes (issue 13, updates): the built app as one .tar.gz, described by a
// manifest signed with the release key (Ed25519). A box trusts exactly one release public key, set at
// provisioning; what it installs is what that key signed — whatever hub or mirror served the files.

const Hex64 = (description: string) => Type.String({ pattern: '^[0-9a-f]{64}$', description });

export const ReleaseManifest = Type.Object(
  {
    format: Type.Literal(1, { description: 'manifest format' }),
    version: Type.String({
      pattern: '^[0-9]+\\.[0-9]+\\.[0-9]+(?:[-+][0-9A-Za-z.-]+)?$',
      maxLength: 64,
      description: 'the app version (package.json)',
    }),
    createdAt: Type.String({
      pattern: '^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z$',
      maxLength: 40,
      description: 'when the bundle was built (ISO)',
    }),
    nodeMajor: Type.Integer({ minimum: 18, maximum: 99, description: 'the Node major the built app and its native modules need' }),
    modules: Type.Union([Type.Literal('included'), Type.Literal('app-only')], {
      description: 'included: node_modules are in the archive; app-only: the box must already have the same lockfile',
    }),
    lockSha256: Hex64('SHA-256 of package-lock.json the app was built with'),
    archive: Type.Object(
      {
        name: Type.String({ pattern: '^[A-Za-z0-9._-]+\\.tar\\.gz$', maxLength: 128, description: 'file name of the archive' }),
        bytes: Type.Integer({ minimum: 1, description: 'its size' }),
        sha256: Hex64('SHA-256 of the archive file'),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type ReleaseManifest = Static<typeof ReleaseManifest>;

/** `<name>.release.json`: the manifest, which key signed it, and the signature over its canonical JSON. */
export const SignedRelease = Type.Object(
  {
    manifest: ReleaseManifest,
    keyFingerprint: Hex64('SHA-256 of the release public key (SPKI DER) that signed it'),
    signature: Type.String({ maxLength: 100, description: 'Ed25519 over the SHA-256 of the canonical JSON of manifest (base64)' }),
  },
  { additionalProperties: false },
);
export type SignedRelease = Static<typeof SignedRelease>;

const manifestHash = (m: ReleaseManifest) => createHash('sha256').update(canonicalJson(m)).digest('hex');

export function signRelease(manifest: ReleaseManifest, privateKeyPem: string, publicKeyRaw: Buffer): SignedRelease {
  return { manifest, keyFingerprint: keyFingerprint(publicKeyRaw), signature: signHash(manifestHash(manifest), privateKeyPem) };
}

/** Why a release is refused: a code for programs, the words for the technician (Vietnamese first). */
export interface ReleaseRefusal {
  code: 'MALFORMED' | 'OTHER_KEY' | 'BAD_SIGNATURE' | 'ARCHIVE_SIZE' | 'ARCHIVE_HASH' | 'ARCHIVE_MISSING';
  vi: string;
  en: string;
}
export type ReleaseVerdict = { ok: true; release: SignedRelease } | { ok: false; refusal: ReleaseRefusal };

const refuse = (code: ReleaseRefusal['code'], vi: string, en: string): ReleaseVerdict => ({ ok: false, refusal: { code, vi, en } });

/** Checks the shape and the signature against the one key this box trusts (never the key the file names). */
export function verifyReleaseSignature(raw: unknown, trustedKeyRaw: Buffer): ReleaseVerdict {
  if (!Value.Check(SignedRelease, raw)) {
    const e = Value.Errors(SignedRelease, raw).First();
    const field = e?.path || '/';
    return refuse('MALFORMED', `Tệp phát hành sai dạng tại ${field}: ${e?.message}`, `Malformed release file at ${field}: ${e?.message}`);
  }
  const trusted = keyFingerprint(trustedKeyRaw);
  if (raw.keyFingerprint !== trusted)
    return refuse(
      'OTHER_KEY',
      `Bản phát hành được ký bằng khóa khác (${raw.keyFingerprint.slice(0, 16)}…), máy này chỉ tin khóa ${trusted.slice(0, 16)}…`,
      `Signed by another key (${raw.keyFingerprint.slice(0, 16)}…); this box trusts only ${trusted.slice(0, 16)}…`,
    );
  if (!verifyHashSig(manifestHash(raw.manifest), raw.signature, trustedKeyRaw))
    return refuse('BAD_SIGNATURE', 'Chữ ký của bản phát hành không hợp lệ.', 'The release signature is not valid.');
  return { ok: true, release: raw };
}
