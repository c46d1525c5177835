import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHubLink } from '../../common/enrollment/hub-link.js';
import { fleetReportPath } from '../../common/contracts/fleet.js';
import { spawnReady, type ReadyChild } from '../../common/process/spawn-ready.js';
import { freePort } from '../helpers/free-port.js';
import { CLI } from '../helpers/room-processes.js';
import { until } from '../helpers/until.js';

// A real Prometheus (Debian's /usr/bin/prometheus) against a real hub process, with
// deploy/prometheus/prometheus.example.yml adapted (target, token file, 1 s scrape, the rules file): the hub
// target is up with the `metrics` token made by `reception hub token add`, the same target without it is
// down (401), a room enrolled with `reception enroll` reports and its reception_room_* series are queried
// back, and the alert rules are loaded. The hub refuses loopback callers without a token here.

const PROMETHEUS = '/usr/bin/prometheus';
const dir = mkdtempSync(join(tmpdir(), 'prometheus-e2e-'));
const cli = (args: string[], env: NodeJS.ProcessEnv = process.env) => {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env });
  if (r.status !== 0) throw new Error(`reception ${args.slice(0, 3).join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
};

describe('Prometheus scrapes the hub', () => {
  let hub: ReadyChild<{ url: string }> | undefined;
  let prom: ChildProcess | undefined;
  let promUrl = '';
  const api = async (path: string) => (await fetch(`${promUrl}${path}`)).json() as Promise<{ status: string; data: any }>;

  beforeAll(async () => {
    // The hub: a config with a metrics token only (made by the CLI, as the README says), no loopback officers.
    const hubConfig = join(dir, 'hub.json');
    const token = cli(['hub', 'token', 'add', 'prometheus', '--role', 'metrics', '--config', hubConfig]).trim();
    writeFileSync(join(dir, 'reception-hub.token'), token, { mode: 0o600 });
    const hubState = join(dir, 'hub-state');
    const port = await freePort();
    hub = await spawnReady<{ url: string }>(process.execPath, [CLI, 'hub', '--config', hubConfig, '--port', String(port)], {
      logFile: join(dir, 'hub.log'),
      env: { ...process.env, RECEPTION_HUB_STATE_DIR: hubState, RECEPTION_HUB_ALLOW_LOOPBACK_OFFICERS: '0' },
    });
    const hubUrl = `http://127.0.0.1:${port}`;

    // A room enrolled as a technician does; its report (the shape the room's reporter sends) gives reception_room_*.
    const roomConfig = join(dir, 'room.json');
    const roomState = join(dir, 'room-state');
    writeFileSync(roomConfig, JSON.stringify({ paths: { state: roomState, recordings: join(dir, 'rec') } }), { mode: 0o600 });
    const { code } = JSON.parse(cli(['hub', 'enroll-code', '--room', 'room-demo', '--state-dir', hubState])) as { code: string };
    cli(['enroll', '--hub', hubUrl, '--code', code, '--config', roomConfig, '--room', 'room-demo']);
    const link = await openHubLink(roomState, { hubUrl });
    const res = await link.fetch(`${hubUrl}${fleetReportPath('room-demo')}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${link.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        at: new Date().toISOString(),
        version: '1.4.2-e2e',
        uptimeS: 60,
        status: 'ok',
        reportSeconds: 3600, // stays fresh for the whole test
        devices: [{ id: 'cam1', kind: 'camera', state: 'online' }],
        media: null,
        gateway: null,
        recording: null,
        uploader: null,
        disk: null,
        clock: { offsetMs: 1500, rttMs: 8, measuredAt: new Date().toISOString(), source: 'hub', alarm: true },
      }),
    });
    expect(res.status, await res.clone().text()).toBe(200);
    await link.close();

    // Prometheus: the example config with this hub, this token file, a 1 s scrape and the rules file.
    const example = readFileSync(resolve('deploy/prometheus/prometheus.example.yml'), 'utf8');
    const config = example
      .replace('scrape_interval: 15s', 'scrape_interval: 1s')
      .replace('evaluation_interval: 15s', 'evaluation_interval: 1s')
      .replace('/etc/prometheus/reception-rules.yml', resolve('deploy/prometheus/reception-rules.yml'))
      .replace('scheme: https', 'scheme: http') // the hub on loopback serves plain http (hub/tls auto)
      .replace(/ {4}tls_config:\n.*\n {6}ca_file: .*\n/, '')
      .replaceAll('/etc/prometheus/reception-hub.token', join(dir, 'reception-hub.token'))
      .replace(/(['"])hub\.example\.gov\.vn:8090\1/, `"127.0.0.1:${port}"`); // either quote: the file is formatted by Biome
    // The same target without a credential: the hub must refuse it.
    const noToken = `  - job_name: reception-hub-no-token\n    static_configs:\n      - targets: ['127.0.0.1:${port}']\n`;
    expect(config).toContain(`127.0.0.1:${port}`);
    expect(config).not.toContain('ca_file');
    writeFileSync(join(dir, 'prometheus.yml'), config + noToken);
    const promPort = await freePort();
    promUrl = `http://127.0.0.1:${promPort}`;
    prom = spawn(
      PROMETHEUS,
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'tsdb')}`,
        `--web.listen-address=127.0.0.1:${promPort}`,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let promLog = '';
    prom.stderr!.on('data', (d) => (promLog = (promLog + String(d)).slice(-4000)));
    await until(
      () => `prometheus ready (log: ${promLog})`,
      60_000,
      async () => (await fetch(`${promUrl}/-/ready`).catch(() => null))?.ok,
    );
  });

  afterAll(async () => {
    if (prom && prom.exitCode === null) {
      const gone = new Promise((r) => prom!.once('exit', r));
      prom.kill('SIGTERM');
      await gone;
    }
    await hub?.stop('SIGINT');
    rmSync(dir, { recursive: true, force: true });
  });

  it('the hub target is up with the metrics token; without it, down with 401', { timeout: 150_000 }, async () => {
    const targets = async () =>
      (await api('/api/v1/targets')).data.activeTargets as { labels: { job: string }; health: string; lastError: string }[];
    let seen: unknown = null;
    const up = await until(
      () => `reception-hub target up (last seen: ${JSON.stringify(seen)})`,
      60_000,
      async () =>
        ((seen = await targets()) as Awaited<ReturnType<typeof targets>>).find(
          (t) => t.labels.job === 'reception-hub' && t.health === 'up',
        ),
    );
    expect(up.lastError).toBe('');
    const refused = await until('the target without a token scraped', 60_000, async () =>
      (await targets()).find((t) => t.labels.job === 'reception-hub-no-token' && t.health === 'down'),
    );
    expect(refused.lastError).toMatch(/401/);
  });

  it("a room's series come back from a query", { timeout: 90_000 }, async () => {
    const query = async (q: string) =>
      (await api(`/api/v1/query?query=${encodeURIComponent(q)}`)).data.result as { value: [number, string] }[];
    const upValue = await until(
      'reception_room_up{room="room-demo"} in Prometheus',
      60_000,
      async () => (await query('reception_room_up{room="room-demo"}'))[0],
    );
    expect(upValue.value[1]).toBe('1');
    expect((await query('reception_room_clock_offset_seconds{room="room-demo"}'))[0]?.value[1]).toBe('1.5');
    expect((await query('reception_room_info{version="1.4.2-e2e"}'))[0]?.value[1]).toBe('1');
  });

  it('the alert rules are loaded and the clock alert fires for the room', { timeout: 90_000 }, async () => {
    const groups = (await api('/api/v1/rules')).data.groups as { name: string; rules: { name: string }[] }[];
    expect(groups.map((g) => g.name).sort()).toEqual(['reception-hub', 'reception-rooms']);
    const alert = await until('ReceptionRoomClockOffset firing', 60_000, async () =>
      ((await api('/api/v1/alerts')).data.alerts as { labels: Record<string, string>; state: string }[]).find(
        (a) => a.labels.alertname === 'ReceptionRoomClockOffset' && a.state === 'firing',
      ),
    );
    expect(alert.labels.room).toBe('room-demo');
  });
});
