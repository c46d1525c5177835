import { sign } from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { canonicalJson } from './canonical.js';
import { keyWindowAt, type KeyVerdict } from './key-binding.js';
import { keyFingerprint, publicKeyRawFromPem, verifyBytes } from './keys.js';

// The hub-signed registry export (`GET /api/v1/registry/export`): every room and every key it ever
// enrolled, with validity, signed by the hub's receipt key, so `reception verify --registry FILE` checks
// a hearing's signing key offline. Signature: Ed25519 over the canonical JSON (RFC 8785) of the whole
// document without `sig`, like a receipt. Pure (no fs, no network).

const Iso = (description: string) => Type.String({ minLength: 1, maxLength: 64, description });
const RAW_KEY = '^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$';

export const RegistryExportKey = Type.Object(
  {
    publicKey: Type.String({ pattern: RAW_KEY, description: 'raw Ed25519 public key, base64 (as in the manifest open entry)' }),
    fingerprint: Type.String({ pattern: '^[0-9a-f]{64}$', description: 'hex SHA-256 of the SPKI DER' }),
    enrolledAt: Iso('when the key was enrolled'),
    enrolledBy: Type.String({ maxLength: 200, description: 'who enrolled it' }),
    validFrom: Iso('signs evidence from'),
    validTo: Type.Optional(Iso('until (exclusive)')),
    revokedAt: Type.Optional(Iso('revoked at (exclusive end of validity)')),
    revokedBy: Type.Optional(Type.String({ maxLength: 200 })),
    reason: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export const RegistryExportRoom = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 64 }), name: Type.String({ maxLength: 200 }), keys: Type.Array(RegistryExportKey) },
  { additionalProperties: false },
);
export const RegistryExport = Type.Object(
  {
    v: Type.Literal(1),
    kind: Type.Literal('reception-registry-export'),
    exportedAt: Iso('when the hub signed it'),
    hubKey: Type.String({ pattern: RAW_KEY, description: "the hub's receipt key (raw Ed25519, base64) that signed this" }),
    rooms: Type.Array(RegistryExportRoom),
    sig: Type.String({ description: 'base64 Ed25519 signature over the canonical JSON without sig' }),
  },
  { additionalProperties: false, description: 'the hub-signed registry export' },
);
export type RegistryExportKey = Static<typeof RegistryExportKey>;
export type RegistryExportRoom = Static<typeof RegistryExportRoom>;
export type RegistryExport = Static<typeof RegistryExport>;

/** Any registry's keys, as the export keeps them: the raw public key and the key's window. */
export interface ExportableRoom {
  id: string;
  name: string;
  keys: (Omit<RegistryExportKey, 'publicKey' | 'fingerprint'> & { publicKeyRaw: Buffer })[];
}

export function signRegistryExport(rooms: ExportableRoom[], hubPrivateKeyPem: string, exportedAt = new Date()): RegistryExport {
  const body = {
    v: 1 as const,
    kind: 'reception-registry-export' as const,
    exportedAt: exportedAt.toISOString(),
    hubKey: publicKeyRawFromPem(hubPrivateKeyPem).toString('base64'),
    rooms: rooms.map((r) => ({
      id: r.id,
      name: r.name,
      keys: r.keys.map(({ publicKeyRaw, ...k }) => ({
        ...k,
        publicKey: publicKeyRaw.toString('base64'),
        fingerprint: keyFingerprint(publicKeyRaw),
      })),
    })),
  };
  return { ...body, sig: sign(null, Buffer.from(canonicalJson(body), 'utf8'), hubPrivateKeyPem).toString('base64') };
}

/** The export if its shape is right and it is signed by `hubKeyRaw` (never by the key it names itself); else why not. */
export function verifyRegistryExport(doc: unknown, hubKeyRaw: Buffer): { ok: true; doc: RegistryExport } | { ok: false; reason: string } {
  if (!Value.Check(RegistryExport, doc)) {
    const first = Value.Errors(RegistryExport, doc).First();
    return { ok: false, reason: `not a registry export (${first ? `${first.path || '/'}: ${first.message}` : 'bad shape'})` };
  }
  if (!hubKeyRaw.equals(Buffer.from(doc.hubKey, 'base64')))
    return { ok: false, reason: `signed by another key (${doc.hubKey}), not the hub key given` };
  const { sig, ...body } = doc;
  let ok = false;
  try {
    ok = verifyBytes(Buffer.from(canonicalJson(body), 'utf8'), sig, hubKeyRaw);
  } catch {
    ok = false;
  }
  return ok ? { ok: true, doc } : { ok: false, reason: 'its signature does not verify with the hub key (forged or altered)' };
}

/** Whether `raw` was `room`'s enrolled key at `at`, by the export (the same rules as the hub's registry). */
export function exportKeyValidAt(doc: RegistryExport, room: string, raw: Buffer, at: Date): KeyVerdict {
  const b64 = raw.toString('base64');
  const r = doc.rooms.find((x) => x.id === room);
  const elsewhere = doc.rooms.find((x) => x.id !== room && x.keys.some((k) => k.publicKey === b64));
  if (!r)
    return {
      ok: false,
      reason: `room "${room}" is not in the registry export${elsewhere ? ` (the key is room "${elsewhere.id}"'s)` : ''}`,
    };
  const k = r.keys.find((x) => x.publicKey === b64);
  if (!k)
    return {
      ok: false,
      reason: elsewhere ? `the key is enrolled for room "${elsewhere.id}", not "${room}"` : `the key was never enrolled for "${room}"`,
    };
  return keyWindowAt(k, at);
}
