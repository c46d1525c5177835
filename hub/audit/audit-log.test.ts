import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/log.js';
import { GENESIS, hashLine, verifyChain } from './audit-chain.js';
import { AUDIT_FILE, openAuditLog } from './audit-log.js';

const dir = () => mkdtempSync(join(tmpdir(), 'audit-'));
const entry = (action: string, actor = 'token:ops') => ({ actor, action, outcome: 'ok' as const, target: 'h-1', ip: '10.0.0.5' });

describe('audit log (append-only, hash-chained)', () => {
  it('writes 0600 JSON lines chained by the SHA-256 of the line before, continuing after a restart', async () => {
    const file = join(dir(), AUDIT_FILE);
    const log = await openAuditLog({ file, logger: silentLogger() });
    await log.append(entry('hearing.create'));
    await log.append({ ...entry('book.read', 'supervisor1'), outcome: 'refused', reason: 'needs supervisor' });
    await log.close();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    const [a, b] = lines.map((l) => JSON.parse(l));
    expect(a).toMatchObject({ seq: 1, prev: GENESIS, actor: 'token:ops', action: 'hearing.create', outcome: 'ok', target: 'h-1' });
    expect(b).toMatchObject({ seq: 2, prev: hashLine(lines[0]!), outcome: 'refused', reason: 'needs supervisor' });
    const again = await openAuditLog({ file, logger: silentLogger() });
    await again.append(entry('hearing.end'));
    expect((await again.entries()).map((e) => e.seq)).toEqual([1, 2, 3]);
    expect((await again.entries({ action: 'book.read' })).map((e) => e.actor)).toEqual(['supervisor1']);
    await again.close();
    expect(verifyChain(readFileSync(file, 'utf8'))).toMatchObject({ ok: true, count: 3 });
  });

  it('appends in call order when many arrive at once', async () => {
    const log = await openAuditLog({ logger: silentLogger() });
    await Promise.all(Array.from({ length: 50 }, (_, i) => log.append(entry(`a.${i}`))));
    const all = await log.entries({ limit: 1000 });
    expect(all.map((e) => e.action)).toEqual(Array.from({ length: 50 }, (_, i) => `a.${i}`));
  });

  it('a removed or edited line breaks the chain; at start the broken file is kept aside and a new segment names it', async () => {
    const d = dir();
    const file = join(d, AUDIT_FILE);
    const log = await openAuditLog({ file, logger: silentLogger() });
    for (const a of ['one', 'two', 'three']) await log.append(entry(a));
    await log.close();
    const lines = readFileSync(file, 'utf8').split('\n');
    const dropped = [lines[0], lines[2], ''].join('\n');
    expect(verifyChain(dropped)).toMatchObject({ ok: false, line: 2 });
    const edited = readFileSync(file, 'utf8').replace('"two"', '"TWO"');
    expect(verifyChain(edited)).toMatchObject({ ok: false, line: 3 });
    writeFileSync(file, dropped);
    const reopened = await openAuditLog({ file, logger: silentLogger() });
    expect(reopened.broken).toMatchObject({ line: 2 });
    const first = (await reopened.entries())[0]!;
    expect(first).toMatchObject({ seq: 1, prev: GENESIS, action: 'audit.segment', actor: 'hub' });
    expect(first.reason).toContain('broken at line 2');
    await reopened.append(entry('four'));
    await reopened.close();
    expect(verifyChain(readFileSync(file, 'utf8'))).toMatchObject({ ok: true, count: 2 });
    expect(readdirSync(d).filter((f) => f.endsWith('.broken.jsonl'))).toHaveLength(1);
  });

  it('a line cut short (a crash mid-write) is reported, not taken as valid', () => {
    expect(verifyChain('{"seq":1')).toMatchObject({ ok: false, reason: expect.stringContaining('cut short') });
  });
});
