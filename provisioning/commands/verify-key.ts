import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  exportKeyValidAt,
  keyCheckTimes,
  keyFingerprint,
  notEnrolledText,
  publicKeyRawFromAnyPem,
  verifyRegistryExport,
  type KeyVerdict,
  type ManifestEntry,
} from '../../common/evidence/index.js';
import type { HubKey } from './verify-receipts.js';

// Whose key signed the hearing? `reception verify` accepts a hearing only when its `open` key is the
// room's enrolled key at the hearing's time: from the hub-signed registry export (`--registry FILE`,
// its signature checked with the hub key of --hub-key / --state-dir) or a key given (`--key`). The key
// the manifest names itself proves nothing: anyone can re-sign a chain with a fresh key.

export interface KeySource {
  /** Whether `raw` is `room`'s key at `at`. */
  check(room: string, raw: Buffer, at: Date): KeyVerdict;
  /** How the report names where the answer came from. */
  vi: string;
  en: string;
  /** The `--key` given (verifyChain also checks the open entry names exactly it). */
  fixedKeyRaw?: Buffer;
}

/** `--key BASE64|PEM|FILE`: the raw 32-byte key in base64, or an Ed25519 public (or private) key PEM, or a file holding either. */
export async function parseKeyOption(value: string): Promise<Buffer | string> {
  const fromFile = value.includes('BEGIN') ? undefined : await readFile(value, 'utf8').catch(() => undefined);
  const text = (fromFile ?? value).trim();
  if (text.includes('BEGIN')) {
    try {
      return publicKeyRawFromAnyPem(text);
    } catch (err) {
      return `--key: not an Ed25519 key PEM (${(err as Error).message})`;
    }
  }
  const raw = Buffer.from(text, 'base64');
  if (raw.length !== 32 || raw.toString('base64') !== text)
    return '--key must be the base64 of a 32-byte Ed25519 public key, an Ed25519 public key PEM, or a file holding one';
  return raw;
}

/** `--registry FILE` checked with the hub key; a string is the reason it cannot be used (exit 2). */
export async function registrySource(file: string, hubKey: HubKey | undefined): Promise<KeySource | string> {
  if (!hubKey)
    return "--registry needs the hub's key to check the export's signature: --hub-key KEY|FILE, or --state-dir (the key the room pinned)";
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(resolve(file), 'utf8'));
  } catch (err) {
    return `--registry ${file}: ${(err as Error).message}`;
  }
  const v = verifyRegistryExport(doc, hubKey.raw);
  if (!v.ok) return `--registry ${file}: ${v.reason}`;
  return {
    check: (room, raw, at) => exportKeyValidAt(v.doc, room, raw, at),
    vi: `sổ đăng ký thiết bị do trung tâm ký (${v.doc.exportedAt})`,
    en: `hub-signed registry export of ${v.doc.exportedAt}`,
  };
}

export function fixedKeySource(raw: Buffer): KeySource {
  return {
    check: (_room, key) => (key.equals(raw) ? { ok: true } : { ok: false, reason: 'it is not the key given with --key' }),
    vi: 'khoá đưa vào bằng --key',
    en: 'the key given with --key',
    fixedKeyRaw: raw,
  };
}

export interface KeyReport {
  confirmed: boolean;
  fingerprint: string | null;
  source: string | null;
  problem?: { vi: string; en: string };
}

/** The open key against the source, at the hearing's start and at its last valid entry. */
export function checkSigningKey(valid: ManifestEntry[], source: KeySource | undefined): KeyReport {
  const open = valid[0]?.kind === 'open' ? valid[0] : undefined;
  if (!open) return { confirmed: false, fingerprint: null, source: null };
  const raw = Buffer.from(open.publicKey, 'base64');
  const fingerprint = keyFingerprint(raw);
  if (!source)
    return {
      confirmed: false,
      fingerprint,
      source: null,
      problem: {
        vi: `khoá ký ${fingerprint} chưa được xác nhận: cần --registry (sổ đăng ký do trung tâm ký) hoặc --key (khoá đã đăng ký của phòng)`,
        en: `signing key ${fingerprint} not confirmed: give --registry FILE (the hub-signed registry export) or --key (the room's enrolled key)`,
      },
    };
  const last = valid.at(-1)!;
  for (const at of keyCheckTimes(open, last)) {
    const v = source.check(open.room, raw, new Date(at));
    if (!v.ok) {
      const t = notEnrolledText(open.room, raw, at, v.reason);
      return { confirmed: false, fingerprint, source: source.en, problem: { vi: `${t.vi} (${source.vi})`, en: `${t.en} (${source.en})` } };
    }
  }
  return { confirmed: true, fingerprint, source: source.en };
}
