import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateApplianceKey, sha256Hex, signReceipt } from '../../../common/evidence/index.js';
import { silentLogger } from '../../../common/log.js';
import { tmp } from '../../../hub/archive/test/fake-hearing.js';
import { createEventBus, type AlarmEvent } from '../events/event-bus.js';
import { createRetention } from './create-retention.js';

// Real files and real signed receipts; only the free-disk figure is injected.

const DAY = 86_400_000;
const hubKey = generateApplianceKey();

function setup() {
  const rec = tmp('rec-');
  const state = tmp('state-');
  mkdirSync(join(state, 'keys'), { recursive: true });
  writeFileSync(join(state, 'keys', 'hub-public.key'), hubKey.publicKeyRaw.toString('base64'));
  mkdirSync(join(rec, 'h'));
  const seg = (n: number, bytes: number, ageMs: number, receipt: 'valid' | 'none' | 'forged') => {
    const file = `seg-${String(n).padStart(5, '0')}.mkv`;
    const data = Buffer.alloc(bytes, n);
    writeFileSync(join(rec, 'h', file), data);
    const t = (Date.now() - ageMs) / 1000;
    utimesSync(join(rec, 'h', file), t, t);
    if (receipt !== 'none') {
      const r = signReceipt(
        { hearing: 'h', file, sha256: sha256Hex(data), bytes, receivedAt: new Date().toISOString() },
        (receipt === 'valid' ? hubKey : generateApplianceKey()).privateKeyPem,
      );
      appendFileSync(
        join(rec, 'h', 'receipts.jsonl'),
        JSON.stringify(receipt === 'forged' ? { ...r, hubKey: hubKey.publicKeyRaw.toString('base64') } : r) + '\n',
      );
    }
    return join(rec, 'h', file);
  };
  /** Free space = `base` + what retention deleted (the files it removed give their bytes back). */
  const disk = (base: number, files: Record<string, number>) => async () => ({
    bsize: 1,
    bavail:
      base +
      Object.entries(files)
        .filter(([p]) => !existsSync(p))
        .reduce((s, [, b]) => s + b, 0),
  });
  return { rec, state, seg, disk };
}

describe('retention', () => {
  it('deletes only forwarded segments older than keepDays; never unreceipted or forged-receipt ones', async () => {
    const { rec, state, seg } = setup();
    const oldFwd = seg(0, 1000, 40 * DAY, 'valid');
    const oldNone = seg(1, 1000, 40 * DAY, 'none');
    const oldForged = seg(2, 1000, 40 * DAY, 'forged');
    const newFwd = seg(3, 1000, 1 * DAY, 'valid');
    const r = createRetention({
      recordings: rec,
      stateDir: state,
      keepDays: 30,
      minFreeMb: 1,
      intervalMs: 60_000,
      logger: silentLogger(),
      statfs: async () => ({ bsize: 4096, bavail: 1e6 }),
    });
    const out = await r.sweep();
    expect([existsSync(oldFwd), existsSync(oldNone), existsSync(oldForged), existsSync(newFwd)]).toEqual([false, true, true, true]);
    expect(out).toMatchObject({ deletedFiles: 1, unforwardedFiles: 2, alarm: undefined });
  });

  it('under disk pressure deletes forwarded segments oldest first regardless of age, and stops when there is room', async () => {
    const { rec, state, seg, disk } = setup();
    const a = seg(0, 900_000, 3 * 60 * 60_000, 'valid'); // oldest forwarded
    const b = seg(1, 500_000, 2 * 60 * 60_000, 'valid');
    const none = seg(2, 700_000, 4 * 60 * 60_000, 'none'); // oldest of all, but no receipt
    const r = createRetention({
      recordings: rec,
      stateDir: state,
      keepDays: 30,
      minFreeMb: 1,
      intervalMs: 60_000,
      logger: silentLogger(),
      statfs: disk(200_000, { [a]: 900_000, [b]: 500_000, [none]: 700_000 }),
    });
    const out = await r.sweep();
    expect([existsSync(a), existsSync(b), existsSync(none)]).toEqual([false, true, true]);
    expect(out.alarm).toBeUndefined();
    expect(statSync(b).size).toBe(500_000);
  });

  it('when only unreceipted files are left: alarm with the minutes of recording left', async () => {
    const { rec, state, seg } = setup();
    const bus = createEventBus();
    const alarms: AlarmEvent[] = [];
    bus.on('alarm', (x) => alarms.push(x));
    seg(0, 300_000, 2 * 60_000, 'none'); // recording now: 600 000 bytes in the last 10 min → 1000 B/s
    seg(1, 300_000, 60_000, 'none');
    const r = createRetention({
      recordings: rec,
      stateDir: state,
      keepDays: 30,
      minFreeMb: 1,
      intervalMs: 60_000,
      bus,
      logger: silentLogger(),
      statfs: async () => ({ bsize: 1, bavail: 240_000 }),
    });
    const out = await r.sweep();
    expect(out.deletedFiles).toBe(0);
    expect(out.minutesLeft).toBe(4); // 240 000 B / 1000 B/s = 240 s
    expect(alarms[0]).toMatchObject({ source: 'retention', code: 'DISK_LOW', active: true, minutesLeft: 4 });
    expect(r.summary()).toMatchObject({ unforwardedFiles: 2, minutesLeft: 4 });
  });

  it("an idle room: minutesLeft null (nothing records), the free disk counted at the design rate, then at the last recording's rate", async () => {
    const { rec, state, seg } = setup();
    let clock = Date.now();
    const r = createRetention({
      recordings: rec,
      stateDir: state,
      keepDays: 30,
      minFreeMb: 1,
      intervalMs: 60_000,
      logger: silentLogger(),
      now: () => clock,
      statfs: async () => ({ bsize: 1, bavail: 74.8e9 }),
    });
    expect(r.summary()).toMatchObject({ minutesLeft: null, minutesAtRate: null }); // no sweep yet: unknown, not 0
    await r.sweep();
    // 74.8 GB at 2.6 Mbit/s (325 000 B/s): 230 153 s, 3835 min (~64 h)
    expect(r.summary()).toMatchObject({ minutesLeft: null, minutesAtRate: 3835, rateKbps: 2600, rateBasis: 'design' });
    seg(0, 600_000, 60_000, 'none'); // a hearing records: 600 000 B in the last 10 min, 1000 B/s
    await r.sweep();
    expect(r.summary()).toMatchObject({ minutesLeft: 1_246_666, minutesAtRate: 1_246_666, rateKbps: 8, rateBasis: 'recent' });
    clock += 11 * 60_000; // the hearing ended: the window holds no new bytes
    await r.sweep();
    expect(r.summary()).toMatchObject({ minutesLeft: null, minutesAtRate: 1_246_666, rateKbps: 8, rateBasis: 'last-recording' });
  });
  it("a live hearing's growing receipts.jsonl: 50 sweeps read it once plus what was appended (issue 12 soak); a rewritten one whole", async () => {
    const { rec, state, seg } = setup();
    try {
      const r = createRetention({
        recordings: rec,
        stateDir: state,
        keepDays: 30,
        minFreeMb: 1,
        intervalMs: 60_000,
        logger: silentLogger(),
        statfs: async () => ({ bsize: 4096, bavail: 1e6 }),
      });
      let sumOfSizes = 0; // what a whole read each sweep costs (before the fix)
      for (let i = 0; i < 50; i++) {
        for (let k = 0; k < 3; k++) seg(i * 3 + k, 1000, 60_000, k === 2 ? 'none' : 'valid');
        expect((await r.sweep()).unforwardedFiles).toBe(i + 1);
        sumOfSizes += statSync(join(rec, 'h', 'receipts.jsonl')).size;
      }
      const file = join(rec, 'h', 'receipts.jsonl');
      expect(r.receiptStats.bytesRead).toBeLessThanOrEqual(statSync(file).size + 50 * 256);
      expect(r.receiptStats.bytesRead * 10).toBeLessThan(sumOfSizes);
      expect(r.receiptStats.linesVerified).toBe(100);
      const lines = readFileSync(file, 'utf8').split('\n');
      writeFileSync(file, lines.slice(0, -2).join('\n') + '\n'); // its last receipt gone: that segment is not forwarded any more
      expect((await r.sweep()).unforwardedFiles).toBe(51);
    } finally {
      rmSync(rec, { recursive: true, force: true });
      rmSync(state, { recursive: true, force: true });
    }
  });
});
