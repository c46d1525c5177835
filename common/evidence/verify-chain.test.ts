import { describe, expect, it } from 'vitest';
import {
  generateApplianceKey,
  parseManifest,
  sealEntry,
  serializeEntry,
  verifyChain,
  type EntryBody,
  type ManifestEntry,
} from './index.js';
import { chainOf, iso, rfcKey, segment } from './test/chain-fixture.js';

const gap = (startMs: number, endMs: number): EntryBody => ({
  kind: 'gap',
  start: iso(startMs),
  end: iso(endMs),
  reason: 'worker-restart',
});
const full = () =>
  chainOf([
    segment(0),
    segment(1),
    { kind: 'book', file: 'book.json', sha256: 'cd'.repeat(32) },
    segment(2),
    { kind: 'close', end: iso(30_000) },
  ]);

/** Changes one character / number of a field, keeping the JSON valid. */
function flip(value: unknown): unknown {
  if (typeof value === 'number') return value + 1;
  const s = String(value);
  const i = Math.floor(s.length / 2);
  const c = s[i] === 'a' ? 'b' : /[0-9]/.test(s[i]) ? String((Number(s[i]) + 1) % 10) : 'a';
  return s.slice(0, i) + c + s.slice(i + 1);
}

describe('verifyChain', () => {
  it('accepts an intact chain and reports segments, gaps, duration and key', () => {
    const r = verifyChain(full());
    expect(r).toMatchObject({ ok: true, totalDurationMs: 30_000, publicKey: rfcKey().publicKeyRaw.toString('base64') });
    expect(r.segments.map((s) => s.file)).toEqual(['seg-00000.mkv', 'seg-00001.mkv', 'seg-00002.mkv']);
    expect(verifyChain(full(), { publicKeyRaw: rfcKey().publicKeyRaw }).ok).toBe(true);
  });

  it('names the tampered entry for a change in any field of any entry', () => {
    const entries = full();
    for (const [seq, entry] of entries.entries()) {
      for (const field of Object.keys(entry)) {
        const copy = structuredClone(entries) as unknown as Record<string, unknown>[];
        copy[seq][field] = flip(copy[seq][field]);
        const r = verifyChain(copy as unknown as ManifestEntry[]);
        expect(r.ok, `${entry.kind}.${field}`).toBe(false);
        expect(r.firstBad?.seq, `${entry.kind}.${field}: ${r.firstBad?.reason}`).toBe(seq);
      }
    }
  });

  it('fails on a removed, reordered or re-signed entry, and on a foreign key', () => {
    const e = full();
    expect(verifyChain([...e.slice(0, 2), ...e.slice(3)]).firstBad).toMatchObject({ seq: 2, reason: expect.stringMatching(/seq/) });
    expect(verifyChain([e[0], e[2], e[1]]).firstBad?.seq).toBe(1);
    // An attacker with their own key rebuilds a chain: fine alone, refused against the enrolled key.
    const forged = chainOf([segment(0)], generateApplianceKey());
    expect(verifyChain(forged).ok).toBe(true);
    expect(verifyChain(forged, { publicKeyRaw: rfcKey().publicKeyRaw }).firstBad).toMatchObject({
      seq: 0,
      reason: expect.stringMatching(/enrolled/),
    });
    // Swap one entry for a validly signed one by another key: the signature check catches it.
    const other = generateApplianceKey();
    const swapped = [...e];
    swapped[1] = sealEntry({ ...segment(0), hearing: 'h1', at: iso(1) } as Parameters<typeof sealEntry>[0], e[0], other.privateKeyPem);
    expect(verifyChain(swapped).firstBad).toMatchObject({ seq: 1, reason: expect.stringMatching(/signature/) });
  });

  it('requires open first, nothing after close, known kinds and complete fields', () => {
    expect(verifyChain([]).ok).toBe(false);
    const after = chainOf([segment(0), { kind: 'close', end: iso(10_000) }, segment(1)]);
    expect(verifyChain(after).firstBad).toMatchObject({ seq: 3, reason: expect.stringMatching(/after "close"/) });
    const noFile = chainOf([{ kind: 'segment', sha256: 'ab'.repeat(32) } as unknown as EntryBody]);
    expect(verifyChain(noFile).firstBad).toMatchObject({ seq: 1, reason: expect.stringMatching(/"file"/) });
    const weird = chainOf([{ kind: 'note', text: 'x' } as unknown as EntryBody]);
    expect(verifyChain(weird).firstBad).toMatchObject({ seq: 1, reason: expect.stringMatching(/unknown kind/) });
    const path = chainOf([segment(0, { file: '../etc/passwd' })]);
    expect(verifyChain(path).firstBad?.seq).toBe(1);
  });

  it('gap rules: a silent hole fails, a covering gap entry (before or after) passes, small jitter passes', () => {
    const hole = chainOf([segment(0), segment(3)]);
    expect(verifyChain(hole).firstBad).toMatchObject({ seq: 2, reason: expect.stringMatching(/20 s .*without a gap/) });
    const covered = chainOf([segment(0), gap(10_000, 30_000), segment(3)]);
    const r = verifyChain(covered);
    expect(r.ok).toBe(true);
    expect(r.gaps).toHaveLength(1);
    expect(r.totalDurationMs).toBe(20_000);
    expect(verifyChain(chainOf([segment(0), segment(3), gap(10_000, 30_000)])).ok).toBe(true);
    // Two gaps covering the hole only in part leave 10 s silent.
    expect(verifyChain(chainOf([segment(0), gap(10_000, 15_000), gap(25_000, 30_000), segment(3)])).ok).toBe(false);
    // 1.5 s of jitter is under the 2 s default; 1 s allowed makes it a failure.
    const jitter = chainOf([segment(0), segment(1, { start: iso(11_500), end: iso(20_000) })]);
    expect(verifyChain(jitter).ok).toBe(true);
    expect(verifyChain(jitter, { maxSilentGapMs: 1000 }).ok).toBe(false);
  });

  it('segment times must not go backwards', () => {
    const back = chainOf([segment(1), segment(0)]);
    expect(verifyChain(back).firstBad).toMatchObject({ seq: 2, reason: expect.stringMatching(/backwards/) });
    const inverted = chainOf([segment(0, { start: iso(5000), end: iso(1000) })]);
    expect(verifyChain(inverted).firstBad?.seq).toBe(1);
  });

  it('a file entered twice, or more media than its wall-clock span, fails', () => {
    const twice = chainOf([segment(0), segment(1, { file: 'seg-00000.mkv' })]);
    expect(verifyChain(twice).firstBad).toMatchObject({ seq: 2, reason: expect.stringMatching(/already entered/) });
    const stretched = chainOf([segment(0), segment(1, { durationMs: 43_000 })]);
    expect(verifyChain(stretched).firstBad).toMatchObject({ seq: 2, reason: expect.stringMatching(/43000 ms of media in 10000 ms/) });
  });

  it('a gap may name a set-aside file and why; other extra fields still fail', () => {
    const g = { kind: 'gap' as const, start: iso(10_000), end: iso(12_000), reason: 'disk-full' as const };
    expect(
      verifyChain(
        chainOf([
          segment(0),
          { ...g, file: 'seg-00001.mkv.partial', detail: 'truncated by a full disk' },
          segment(2, { start: iso(12_000), end: iso(30_000), durationMs: 18_000 }),
        ]),
      ).ok,
    ).toBe(true);
    expect(verifyChain(chainOf([segment(0), { ...g, file: '../etc/passwd' } as never])).firstBad?.reason).toMatch(/"file" malformed/);
    expect(verifyChain(chainOf([segment(0), { ...g, note: 'x' } as never])).firstBad?.reason).toMatch(/unexpected field "note"/);
  });
});

describe('parseManifest', () => {
  it('round-trips serialized entries', () => {
    const text = full().map(serializeEntry).join('');
    const { entries, errors } = parseManifest(text);
    expect(errors).toEqual([]);
    expect(verifyChain(entries).ok).toBe(true);
  });
  it('reports torn, blank and non-object lines with their line numbers', () => {
    const text = full().map(serializeEntry).join('');
    expect(parseManifest(text.slice(0, -20)).errors[0]).toMatchObject({ line: 6 });
    expect(parseManifest(text.slice(0, -1)).errors[0].message).toMatch(/no newline/);
    expect(parseManifest('\n' + text).errors[0]).toMatchObject({ line: 1, message: 'empty line' });
    expect(parseManifest('[1]\n').errors[0].message).toMatch(/object/);
    expect(parseManifest('')).toEqual({ entries: [], errors: [] });
  });
});
