import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HealthReply } from '../../../common/contracts/daemon-api/health.js';
import { silentLogger } from '../../../common/log.js';
import { until } from '../../../tests/helpers/until.js';
import { loadConfig } from '../../config/load-config.js';
import { createRemoteOps } from './create-remote-ops.js';
import { createRestarter } from './restart.js';
import { openTrial, preflight } from './trial.js';

// The room's op handling on real files with the real restarter set to systemd on a box where systemctl
// cannot act (no systemd as PID 1 here: the same refusal as a missing polkit rule). A push the gateway
// must follow cannot be restarted into: the file goes back and the hub hears why. A push for the daemon
// alone falls back to the daemon stopping itself (Restart=always); the next daemon judges the trial.

const since = new Date().toISOString();
const online = { state: 'online' as const, since, reconnects: 0 };
const healthy = {
  status: 'ok',
  room: { id: 'room-r', name: 'r' },
  version: 't',
  uptimeS: 1,
  memoryRssMb: 1,
  devices: [],
  media: { health: online, source: 'primary', restarts: 0 },
  gateway: { state: 'connected', since },
} as unknown as HealthReply;
const settings = {
  trialSeconds: 60,
  supervisor: 'systemd' as const,
  systemdUnits: ['reception-gateway.service', 'reception-daemon.service'],
  pm2Gateway: 'reception-gateway',
};

function roomOps(dir: string, trial: Awaited<ReturnType<typeof preflight>>, stops: number[]) {
  return createRemoteOps({
    settings,
    configFile: join(dir, 'config.json'),
    stateDir: dir,
    room: { id: 'room-r' },
    trial,
    health: { snapshot: () => healthy },
    hub: { hubUrl: 'http://127.0.0.1:9', secret: '' },
    lastReport: () => null,
    version: 't',
    logger: silentLogger(),
    restarter: createRestarter(settings, silentLogger(), () => stops.push(Date.now())),
  });
}
const result = (ops: ReturnType<typeof createRemoteOps>, id: string) => ops.results().find((r) => r.id === id);

describe('remote-ops at the room', () => {
  it('systemctl refused: a gateway change is rolled back at once; a daemon-only change restarts by exiting and is judged by the next daemon', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'remote-ops-room-'));
    const file = join(dir, 'config.json');
    const original = `${JSON.stringify({ room: { id: 'room-r', name: 'Phòng' } }, null, 2)}\n`;
    writeFileSync(file, original, { mode: 0o600 });
    const stops: number[] = [];
    const ops = roomOps(dir, null, stops);
    await ops.start();

    const gw = { id: 'op-gw-0000000001', kind: 'config' as const, mode: 'merge' as const, config: { gateway: { port: 18_081 } } };
    ops.take([gw]);
    const r1 = await until('the gateway push answered', 20_000, () => result(ops, gw.id));
    expect(r1).toMatchObject({
      state: 'rolled-back',
      reason: expect.stringContaining('systemctl restart reception-gateway.service reception-daemon.service refused'),
    });
    expect(readFileSync(file, 'utf8')).toBe(original);
    expect(await openTrial(file)).toBeNull();

    const kiosk = { id: 'op-ki-0000000001', kind: 'config' as const, mode: 'merge' as const, config: { kiosk: { sessionMinutes: 15 } } };
    ops.take([kiosk, gw]); // the hub hands over again what it has no result for yet: done once
    await until('the daemon to stop itself', 20_000, () => stops.length === 1);
    expect(await openTrial(file)).toMatchObject({ op: kiosk.id, gateway: false });
    expect(result(ops, kiosk.id)).toBeUndefined();
    await ops.sent(ops.results());
    expect(ops.results()).toEqual([]);
    await ops.stop();

    // The next daemon: the trial counted before the config loads, then judged healthy.
    const trial = await preflight(file, (f) => loadConfig(f, {}));
    expect(trial).toMatchObject({ op: kiosk.id, starts: 1 });
    const next = roomOps(dir, trial, stops);
    await next.start();
    const r2 = await until('the trial judged', 20_000, () => result(next, kiosk.id));
    expect(r2).toMatchObject({ state: 'applied', reason: expect.stringMatching(/healthy \d+ s after the restart/) });
    expect(JSON.parse(readFileSync(file, 'utf8')).kiosk.sessionMinutes).toBe(15);
    expect(await openTrial(file)).toBeNull();
    next.take([kiosk]); // handed over once more before the hub took the result: not run again
    await next.stop();
    expect(stops).toHaveLength(1);
  });
});
