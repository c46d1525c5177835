import { GAP_REASONS } from './manifest.js';

// Required fields per kind. Returns the first problem, or undefined when the entry is well-formed.

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const HEX64 = /^[0-9a-f]{64}$/;
// A segment or book file is a bare name inside the hearing directory, never a path.
const FILE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

type Check = (v: unknown) => boolean;
const str: Check = (v) => typeof v === 'string' && v.length > 0;
const iso: Check = (v) => typeof v === 'string' && ISO.test(v) && Number.isFinite(Date.parse(v));
const hex: Check = (v) => typeof v === 'string' && HEX64.test(v);
const file: Check = (v) => typeof v === 'string' && FILE.test(v);
const nat: Check = (v) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const key: Check = (v) => typeof v === 'string' && Buffer.from(v, 'base64').length === 32 && Buffer.from(v, 'base64').toString('base64') === v;
const reason: Check = (v) => (GAP_REASONS as readonly unknown[]).includes(v);

const COMMON: Record<string, Check> = { v: (v) => v === 1, seq: nat, hearing: str, at: iso, prev: hex, hash: hex, sig: str };
const KINDS: Record<string, Record<string, Check>> = {
  open: { room: str, publicKey: key, start: iso },
  segment: { file, sha256: hex, bytes: nat, durationMs: nat, start: iso, end: iso },
  gap: { start: iso, end: iso, reason },
  book: { file, sha256: hex },
  close: { end: iso },
};
/** Fields a kind may carry or leave out. */
const OPTIONAL: Record<string, Record<string, Check>> = {
  gap: { file, detail: (v) => typeof v === 'string' && v.length > 0 && v.length <= 500 },
};

export function shapeProblem(entry: Record<string, unknown>): string | undefined {
  const kind = entry.kind;
  const fields = typeof kind === 'string' && Object.hasOwn(KINDS, kind) ? KINDS[kind] : undefined;
  if (!fields) return `unknown kind ${JSON.stringify(kind)}`;
  const all: Record<string, Check> = { ...COMMON, ...fields, kind: str };
  const optional: Record<string, Check> = OPTIONAL[kind as string] ?? {};
  for (const [name, ok] of Object.entries(all)) if (!ok(entry[name])) return `${kind}: field "${name}" missing or malformed`;
  for (const [name, ok] of Object.entries(optional)) if (name in entry && !ok(entry[name])) return `${kind}: field "${name}" malformed`;
  // Unknown fields would be covered by the hash, but a strict shape keeps the format honest.
  const extra = Object.keys(entry).find((k) => !(k in all) && !(k in optional));
  if (extra) return `${kind}: unexpected field "${extra}"`;
  return undefined;
}
