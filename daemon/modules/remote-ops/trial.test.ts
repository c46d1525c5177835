import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load-config.js';
import { applyConfigOp } from './config-op.js';
import { MAX_STARTS, beginTrial, clearOutcome, endTrial, openTrial, preflight, previousOf, trialOutcome } from './trial.js';
import { tarGz } from './tar-gz.js';

// The room's side of a config push on real files: the write order that never loses the previous config,
// rollback when the new one does not load or keeps crashing the daemon, and the trial's outcome kept
// for the journal. loadConfig is the daemon's own loader.

const room = (over: object = {}) => `${JSON.stringify({ room: { id: 'room-t', name: 'Phòng thử' }, ...over }, null, 2)}\n`;
function roomFile(over: object = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'remote-ops-'));
  const file = join(dir, 'config.json');
  writeFileSync(file, room(over), { mode: 0o600 });
  return file;
}
const op = (config: Record<string, unknown>, mode: 'merge' | 'replace' = 'merge') => ({
  id: 'op-test-00000001',
  kind: 'config' as const,
  mode,
  config,
});

describe('config push at the room', () => {
  it('merges, checks again, keeps the previous config and marks the trial; the new file is 0600', async () => {
    const file = roomFile({ kiosk: { sessionMinutes: 10 } });
    const before = readFileSync(file, 'utf8');
    const step = await applyConfigOp(file, op({ kiosk: { sessionMinutes: 15 } }), 'room-t');
    expect(step).toEqual({ done: false, gateway: false, changed: ['kiosk'] });
    expect(readFileSync(previousOf(file), 'utf8')).toBe(before);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ room: { id: 'room-t' }, kiosk: { sessionMinutes: 15 } });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await openTrial(file)).toMatchObject({ op: 'op-test-00000001', starts: 0, gateway: false });
    // A second push while the first is on trial waits.
    expect(await applyConfigOp(file, op({ kiosk: { sessionMinutes: 20 } }), 'room-t')).toMatchObject({ done: true, state: 'failed' });
  });

  it('refuses what the loader refuses, names the field; nothing written', async () => {
    const file = roomFile();
    const step = await applyConfigOp(file, op({ api: { port: 'eighty' } }), 'room-t');
    expect(step).toMatchObject({ done: true, state: 'failed', reason: expect.stringContaining('/api/port') });
    expect(existsSync(previousOf(file))).toBe(false);
    expect(await applyConfigOp(file, op({ room: { id: 'room-x' } }), 'room-t')).toMatchObject({ state: 'failed' });
    expect(await applyConfigOp(file, op({}), 'room-t')).toMatchObject({ done: true, state: 'applied' }); // nothing changes
  });

  it('a change the gateway reads restarts the gateway too', async () => {
    const file = roomFile();
    expect(await applyConfigOp(file, op({ gateway: { port: 18_081 } }), 'room-t')).toMatchObject({ done: false, gateway: true });
  });

  it('rolls back at start when the new config does not load; the previous one is in place again', async () => {
    const file = roomFile();
    const before = readFileSync(file, 'utf8');
    await beginTrial(file, 'op-test-00000002', before, '{"api": {"port": "x"}}\n', false); // as a push could not, but a disk could
    expect(await preflight(file, (f) => loadConfig(f, {}))).toBeNull();
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(await trialOutcome(file)).toMatchObject({
      op: 'op-test-00000002',
      state: 'rolled-back',
      reason: expect.stringContaining('/api/port'),
    });
    await clearOutcome(file);
    expect(await trialOutcome(file)).toBeNull();
  });

  it('a config that crashes the daemon at every start is rolled back after MAX_STARTS starts, never losing the previous one', async () => {
    const file = roomFile();
    const before = readFileSync(file, 'utf8');
    await beginTrial(file, 'op-test-00000003', before, room({ kiosk: { sessionMinutes: 30 } }), true);
    for (let i = 1; i <= MAX_STARTS; i++) expect(await preflight(file, (f) => loadConfig(f, {}))).toMatchObject({ starts: i }); // each start "crashes"
    expect(readFileSync(previousOf(file), 'utf8')).toBe(before);
    expect(await preflight(file, (f) => loadConfig(f, {}))).toBeNull();
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(await trialOutcome(file)).toMatchObject({
      state: 'rolled-back',
      gateway: true,
      reason: expect.stringContaining(`${MAX_STARTS} starts`),
    });
  });

  it('a power cut before the new config was renamed in: the running (previous) config stays, the trial is over', async () => {
    const file = roomFile();
    const before = readFileSync(file, 'utf8');
    await beginTrial(file, 'op-test-00000004', before, room({ kiosk: { sessionMinutes: 40 } }), false);
    writeFileSync(file, before); // as if the rename never happened
    expect(await preflight(file, (f) => loadConfig(f, {}))).toBeNull();
    expect(await trialOutcome(file)).toMatchObject({ state: 'rolled-back' }); // the file is the previous one: read as rolled back
  });

  it('endTrial applied keeps the new config; rolled-back puts the previous one back first', async () => {
    const file = roomFile();
    const before = readFileSync(file, 'utf8');
    await beginTrial(file, 'op-test-00000005', before, room({ kiosk: { sessionMinutes: 50 } }), false);
    const marker = (await preflight(file, (f) => loadConfig(f, {})))!;
    await endTrial(file, marker, { state: 'rolled-back', reason: 'media offline', at: new Date().toISOString() });
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(await openTrial(file)).toBeNull();
  });
});

describe('tarGz', () => {
  it('is read by tar', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tar-'));
    const big = 'x'.repeat(1500);
    writeFileSync(
      join(dir, 'b.tar.gz'),
      tarGz([
        { name: 'a.json', data: '{"ok":true}\n' },
        { name: 'logs/big.txt', data: big },
      ]),
    );
    expect(execFileSync('tar', ['-tzf', 'b.tar.gz'], { cwd: dir, encoding: 'utf8' }).split('\n').filter(Boolean)).toEqual([
      'a.json',
      'logs/big.txt',
    ]);
    execFileSync('tar', ['-xzf', 'b.tar.gz'], { cwd: dir });
    expect(readFileSync(join(dir, 'logs/big.txt'), 'utf8')).toBe(big);
  });
});
