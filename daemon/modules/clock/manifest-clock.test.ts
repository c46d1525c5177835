import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { generateApplianceKey, parseManifest, serializeEntry, verifyChain } from '../../../common/evidence/index.js';
import { silentLogger } from '../../../common/log.js';
import { until } from '../../../tests/helpers/until.js';
import { verifyHearing } from '../../../hub/archive/verify-hearing.js';
import { run as receptionVerify } from '../../../provisioning/commands/verify-command.js';
import { createEventBus } from '../events/event-bus.js';
import { createRecorder } from '../recorder/create-recorder.js';
import { createClock } from './create-clock.js';

// The measured clock offset is evidence: the real recorder writes it in the open and close entries of a
// hearing's manifest (signed with the rest), the chain still verifies, `reception verify` (its command, in process)
// shows it, the hub's archive verification carries it, and an altered offset breaks the chain.

describe('clock offset in the manifest', () => {
  const dir = mkdtempSync(join(tmpdir(), 'manifest-clock-'));
  const key = generateApplianceKey();
  const clock = createClock({ logger: silentLogger() });
  const bus = createEventBus();
  const recorder = createRecorder({
    config: { enabled: true, segmentSeconds: 2 },
    recordingsDir: dir,
    room: { id: 'room-demo' },
    key: () => key,
    worker: undefined, // no media worker: the open and close entries are what this test is about
    onAir: () => null,
    clock: clock.summary,
    bus,
    logger: silentLogger(),
  });
  const hearing = { id: 'h-clock', title: 'Phiên thử đồng hồ', source: 'local' as const, startedAt: new Date().toISOString() };
  const manifestFile = join(dir, 'h-clock.room-demo', 'manifest.jsonl');
  const has = (kind: string) => () => existsSync(manifestFile) && readFileSync(manifestFile, 'utf8').includes(`"kind":"${kind}"`);

  it('open carries the offset measured before the hearing, close the one measured last; the chain verifies', async () => {
    await recorder.start();
    const t = Date.now();
    clock.measured(t - 40, t, t + 1480); // the room 1.5 s behind the hub
    bus.emit('hearing', { kind: 'started', hearing, reason: 'test' });
    await until('open entry', 10_000, has('open'));
    clock.measured(t + 1000, t + 1010, t + 1005 + 250); // corrected meanwhile: 250 ms
    bus.emit('hearing', { kind: 'ended', hearing, reason: 'test' });
    await until('close entry', 10_000, has('close'));
    await recorder.stop();
    const { entries, errors } = parseManifest(readFileSync(manifestFile, 'utf8'));
    expect(errors).toEqual([]);
    const chain = verifyChain(entries, { publicKeyRaw: key.publicKeyRaw });
    expect(chain.ok, chain.firstBad?.reason).toBe(true);
    expect(chain.clocks).toEqual([
      { seq: 0, kind: 'open', offsetMs: 1500, rttMs: 40, measuredAt: new Date(t).toISOString(), source: 'hub' },
      { seq: entries.length - 1, kind: 'close', offsetMs: 250, rttMs: 10, measuredAt: new Date(t + 1010).toISOString(), source: 'hub' },
    ]);
  });

  it('`reception verify` accepts and shows it; the hub archive verification carries it', async () => {
    let stdout = '';
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
    const status = await receptionVerify([join(dir, 'h-clock.room-demo'), '--key', key.publicKeyRaw.toString('base64')]).finally(() =>
      write.mockRestore(),
    );
    const out = { status, stdout };
    expect(out.status, out.stdout).toBe(0);
    expect(out.stdout).toContain('Đồng hồ phòng lúc mở / Room clock at open: +1500 ms ± 20 ms so với / against hub');
    expect(out.stdout).toContain('LỆCH QUÁ 1 GIÂY / OFF BY MORE THAN 1 S');
    expect(out.stdout).toContain('Đồng hồ phòng lúc đóng / Room clock at close: +250 ms ± 5 ms');
    expect(out.stdout).toContain('RESULT: INTACT');
    const index = { v: 1 as const, hearing: 'h-clock.room-demo', room: 'room-demo', createdAt: hearing.startedAt, files: {}, uploads: {} };
    const v = verifyHearing(index, readFileSync(manifestFile), undefined, undefined);
    expect(v.clocks.map((c) => c.offsetMs)).toEqual([1500, 250]);
  });

  it('an offset changed after signing breaks the chain (the hash covers it)', () => {
    const { entries } = parseManifest(readFileSync(manifestFile, 'utf8'));
    const open = entries[0]!;
    if (open.kind !== 'open' || !open.clock) throw new Error('no clock in open');
    const forged = [serializeEntry({ ...open, clock: { ...open.clock, offsetMs: 0 } }), ...entries.slice(1).map(serializeEntry)].join('');
    const bad = join(dir, 'forged.jsonl');
    writeFileSync(bad, forged);
    const chain = verifyChain(parseManifest(readFileSync(bad, 'utf8')).entries);
    expect(chain.firstBad).toEqual({ seq: 0, reason: "hash does not match the entry's content" });
    // And a malformed one is named: an unknown field inside clock.
    const shaped = verifyChain([{ ...open, clock: { ...open.clock, drift: 1 } } as never]);
    expect(shaped.firstBad?.reason).toBe('open: field "clock" malformed');
  });
});
