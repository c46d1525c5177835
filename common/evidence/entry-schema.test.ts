import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { ENTRY_SCHEMAS, GAP_REASONS, ManifestEntry } from './entry-schema.js';
import { shapeProblem } from './entry-shape.js';
import { chainOf, iso, segment } from './test/chain-fixture.js';

// The hand-written checks the schemas replaced (entry-shape.ts before issue 9), kept as an oracle: the
// schemas must accept and refuse exactly what they did, with the same message.
const OLD_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
type Check = (v: unknown) => boolean;
const str: Check = (v) => typeof v === 'string' && v.length > 0;
const iso8601: Check = (v) => typeof v === 'string' && OLD_ISO.test(v) && Number.isFinite(Date.parse(v));
const hex: Check = (v) => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v);
const file: Check = (v) => typeof v === 'string' && /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(v);
const nat: Check = (v) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const key: Check = (v) =>
  typeof v === 'string' && Buffer.from(v, 'base64').length === 32 && Buffer.from(v, 'base64').toString('base64') === v;
const COMMON: Record<string, Check> = { v: (v) => v === 1, seq: nat, hearing: str, at: iso8601, prev: hex, hash: hex, sig: str };
const KINDS: Record<string, Record<string, Check>> = {
  open: { room: str, publicKey: key, start: iso8601 },
  segment: { file, sha256: hex, bytes: nat, durationMs: nat, start: iso8601, end: iso8601 },
  gap: { start: iso8601, end: iso8601, reason: (v) => (GAP_REASONS as readonly unknown[]).includes(v) },
  book: { file, sha256: hex },
  close: { end: iso8601 },
};
const OPTIONAL: Record<string, Record<string, Check>> = {
  gap: { file, detail: (v) => typeof v === 'string' && v.length > 0 && v.length <= 500 },
};
function oldShapeProblem(entry: Record<string, unknown>): string | undefined {
  const kind = entry.kind;
  const fields = typeof kind === 'string' && Object.hasOwn(KINDS, kind) ? KINDS[kind] : undefined;
  if (!fields) return `unknown kind ${JSON.stringify(kind)}`;
  const all: Record<string, Check> = { ...COMMON, ...fields, kind: str };
  const optional = OPTIONAL[kind as string] ?? {};
  for (const [name, ok] of Object.entries(all)) if (!ok(entry[name])) return `${kind}: field "${name}" missing or malformed`;
  for (const [name, ok] of Object.entries(optional)) if (name in entry && !ok(entry[name])) return `${kind}: field "${name}" malformed`;
  const extra = Object.keys(entry).find((k) => !(k in all) && !(k in optional));
  return extra ? `${kind}: unexpected field "${extra}"` : undefined;
}

const entries = chainOf([
  segment(0),
  {
    kind: 'gap',
    start: iso(10_000),
    end: iso(12_000),
    reason: 'disk-full',
    file: 'seg-00001.ts.partial',
    detail: 'truncated by a full disk',
  },
  { kind: 'book', file: 'book.json', sha256: 'cd'.repeat(32) },
  { kind: 'close', end: iso(30_000) },
]) as unknown as Record<string, unknown>[];

const BAD: unknown[] = [
  undefined,
  null,
  '',
  'x',
  0,
  -1,
  1.5,
  2 ** 53,
  -0,
  true,
  [],
  {},
  'AB'.repeat(32),
  'ab'.repeat(31),
  '../etc/passwd',
  '.hidden',
  'a'.repeat(129),
  '2024-13-01T00:00:00Z',
  '2024-02-30T00:00:00Z',
  '2024-01-01T24:00:00Z',
  '2024-01-01T24:00:01Z',
  '2024-01-01T00:00:00+24:00',
  '2024-01-01T00:00:00.123456789+23:59',
  '2024-01-01 00:00:00Z',
  'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
  '11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=',
  '11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURp=',
  '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo=',
  'worker-restart',
  'power-cut',
  'y'.repeat(500),
  'y'.repeat(501),
  'open',
  'segment',
];

function* mutations(e: Record<string, unknown>) {
  yield e;
  for (const k of Object.keys(e)) {
    const { [k]: _gone, ...rest } = e;
    yield rest;
    for (const v of BAD) yield { ...e, [k]: v };
  }
  for (const k of ['file', 'detail', 'note', 'room', 'end']) for (const v of [...BAD.slice(0, 6), 'ok.ts', 'why']) yield { ...e, [k]: v };
}

describe('manifest entry schemas', () => {
  it('refuse and accept exactly what the hand-written checks did, with the same messages', () => {
    let n = 0;
    for (const e of entries) {
      for (const m of mutations(e)) {
        n++;
        expect(shapeProblem(m), JSON.stringify(m)).toBe(oldShapeProblem(m));
      }
    }
    expect(n).toBeGreaterThan(1500);
  });

  it('the union schema agrees with shapeProblem on entries read from JSON', () => {
    for (const e of entries) {
      for (const m of mutations(e)) {
        const parsed = JSON.parse(JSON.stringify(m)) as Record<string, unknown>;
        expect(Value.Check(ManifestEntry, parsed), JSON.stringify(parsed)).toBe(shapeProblem(parsed) === undefined);
      }
    }
  });

  it('one schema per kind, the chain fields first, no other field', () => {
    expect(Object.keys(ENTRY_SCHEMAS)).toEqual(['open', 'segment', 'gap', 'book', 'close']);
    for (const s of Object.values(ENTRY_SCHEMAS)) {
      expect(Object.keys(s.properties).slice(0, 7)).toEqual(['v', 'seq', 'hearing', 'at', 'prev', 'hash', 'sig']);
      expect(s.additionalProperties).toBe(false);
    }
    expect(ENTRY_SCHEMAS.gap.required).not.toContain('file');
    expect(shapeProblem({ ...entries[2], kind: 'note' })).toBe('unknown kind "note"');
    expect(shapeProblem({ ...entries[1], bytes: -1 })).toBe('segment: field "bytes" missing or malformed');
    expect(shapeProblem({ ...entries[2], detail: '' })).toBe('gap: field "detail" malformed');
    expect(shapeProblem({ ...entries[4], note: 'x' })).toBe('close: unexpected field "note"');
  });
});
