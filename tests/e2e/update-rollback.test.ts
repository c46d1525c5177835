import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApplianceKey, publicKeyPemFromRaw } from '../../common/evidence/keys.js';
import { sha256File } from '../../common/release/verify-release.js';
import { APP_PATHS, buildRelease } from '../../provisioning/release/build-release.js';
import { startHubProcess } from '../helpers/hub-process.js';
import { CLI, json, startRoomProcesses } from '../helpers/room-processes.js';
import { respawn } from '../helpers/respawn.js';
import { until } from '../helpers/until.js';

// Issue 13, software updates, with real processes: a hub that takes releases signed by the release key; a
// room (sims + daemon, enrolled) running from an installed layout (<opt>/current → releases/0.1.0, started
// again by a supervisor whenever it ends, as systemd's Restart=always does). The central point rolls out
// 0.1.1 (good: installed, the daemon answers 0.1.1), then 0.1.2 (its daemon cannot start: rolled back to
// 0.1.1 after the health window, the hub's rollout says why).

const REPO = resolve('.');
const key = generateApplianceKey();
const dir = mkdtempSync(join(tmpdir(), 'update-e2e-'));
const opt = join(dir, 'opt');

/** The built app of this checkout as release `version` (a broken one: its daemon throws when loaded). */
async function release(version: string, broken = false) {
  const stage = join(dir, `stage-${version}`);
  mkdirSync(stage);
  for (const p of APP_PATHS) if (existsSync(join(REPO, p))) execFileSync('cp', ['-a', '--parents', p, stage], { cwd: REPO });
  const pkg = JSON.parse(readFileSync(join(stage, 'package.json'), 'utf8'));
  writeFileSync(join(stage, 'package.json'), JSON.stringify({ ...pkg, version }));
  if (broken)
    writeFileSync(
      join(stage, 'dist/daemon/main.js'),
      `export async function runDaemon() {\n  throw new Error('release ${version} is broken on purpose');\n}\n`,
    );
  return buildRelease({ root: stage, outDir: join(dir, `out-${version}`), privateKeyPem: key.privateKeyPem, withModules: false });
}

describe('a signed update rolled out from the hub, and one rolled back (real processes)', () => {
  let hub: Awaited<ReturnType<typeof startHubProcess>>;
  let room: Awaited<ReturnType<typeof startRoomProcesses>>;
  let daemon: ReturnType<typeof respawn> | undefined;

  beforeAll(async () => {
    const keyFile = join(dir, 'release-public.pem');
    writeFileSync(keyFile, publicKeyPemFromRaw(key.publicKeyRaw));
    // The box as installed: modules of this lockfile (this checkout's, linked), release 0.1.0 by `reception update install`.
    mkdirSync(join(opt, 'modules', await sha256File(join(REPO, 'package-lock.json'))), { recursive: true });
    symlinkSync(join(REPO, 'node_modules'), join(opt, 'modules', await sha256File(join(REPO, 'package-lock.json')), 'node_modules'));
    const base = await release('0.1.0');
    execFileSync(process.execPath, [CLI, 'update', 'install', '--release', base.releaseFile, '--key', keyFile, '--root', opt]);
    expect(readlinkSync(join(opt, 'current'))).toBe('releases/0.1.0');

    hub = await startHubProcess(1, { env: { RECEPTION_HUB_RELEASE_KEY_FILE: keyFile } });
    room = await startRoomProcesses({
      picture: false,
      record: false,
      hubUrl: hub.signalUrl,
      enroll: { hubUrl: hub.url, hubStateDir: hub.stateDir },
    });
    await room.daemon.stop('SIGINT'); // from now on the daemon runs from the installed layout
    const cfg = JSON.parse(readFileSync(room.configFile, 'utf8'));
    Object.assign(cfg, {
      fleet: { ...cfg.fleet, reportSeconds: 2 },
      remoteOps: { ...cfg.remoteOps, supervisor: 'exit' }, // the installer stops it; the supervisor below starts it again
      updates: { windowSeconds: 60, stableSeconds: 3 },
    });
    writeFileSync(room.configFile, JSON.stringify(cfg, null, 2));
    mkdirSync(join(room.env.RECEPTION_STATE_DIR!, 'keys'), { recursive: true });
    writeFileSync(join(room.env.RECEPTION_STATE_DIR!, 'keys', 'release-public.pem'), publicKeyPemFromRaw(key.publicKeyRaw)); // set at commissioning
    daemon = respawn(() => [process.execPath, join(opt, 'current/dist/provisioning/reception.js'), 'daemon', '--config', room.configFile], {
      env: room.env,
      logFile: join(dir, 'daemon.log'),
    });
    await until(
      'the installed daemon answers 0.1.0',
      60_000,
      async () => (await json(`${room.api}/api/v1/health`).catch(() => ({ body: {} }))).body.version === '0.1.0',
    );

    for (const [version, broken] of [
      ['0.1.1', false],
      ['0.1.2', true],
    ] as const) {
      const r = await release(version, broken);
      const put = (what: string, body: Buffer, type: string) =>
        fetch(`${hub.url}/api/v1/updates/releases/${version}/${what}`, {
          method: 'PUT',
          body: new Uint8Array(body),
          headers: { 'content-type': type },
        });
      expect((await put('release.json', readFileSync(r.releaseFile), 'application/json')).status).toBe(201);
      expect((await put('archive', readFileSync(r.archive), 'application/octet-stream')).status).toBe(200);
    }
  }, 240_000);

  afterAll(async () => {
    daemon?.stop();
    await room?.sim.stop('SIGINT');
    await hub?.stop();
  });

  const rollout = (version: string) =>
    fetch(`${hub.url}/api/v1/updates/rollout`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ version, rooms: ['room-demo'] }),
    });
  const roomState = async () =>
    (
      (await (await fetch(`${hub.url}/api/v1/updates/rollout`)).json()) as Array<{
        state: string;
        running: string;
        update: { reason: string | null } | null;
      }>
    )[0]!;
  const installLog = () => readFileSync(join(room.env.RECEPTION_STATE_DIR!, 'updates', 'install.log'), 'utf8');

  it('a good release: fetched, checked, installed, the room runs it and the hub says up to date', async () => {
    const t0 = performance.now();
    expect((await rollout('0.1.1')).status).toBe(200);
    await until('room-demo up to date on 0.1.1', 180_000, async () => (await roomState()).state === 'up-to-date');
    const s = await roomState();
    expect(s.running).toBe('0.1.1');
    expect((await json(`${room.api}/api/v1/health`)).body.version).toBe('0.1.1');
    expect(readlinkSync(join(opt, 'current'))).toBe('releases/0.1.1');
    await until('the installer says installed', 60_000, () => /installed/.test(installLog()));
    console.log(`update 0.1.0 → 0.1.1: up to date at the hub ${((performance.now() - t0) / 1000).toFixed(1)} s after the rollout`);
  }, 240_000);

  it('a release whose daemon cannot start: rolled back to 0.1.1 within the health window, the reason at the hub', async () => {
    const t0 = performance.now();
    expect((await rollout('0.1.2')).status).toBe(200);
    await until('room-demo rolled back', 240_000, async () => (await roomState()).state === 'rolled-back');
    const s = await roomState();
    expect(s.update?.reason).toMatch(/not healthy within 60 s/);
    expect(s.running).toBe('0.1.1');
    expect(readlinkSync(join(opt, 'current'))).toBe('releases/0.1.1');
    await until(
      'the room answers 0.1.1 again',
      60_000,
      async () => (await json(`${room.api}/api/v1/health`).catch(() => ({ body: {} }))).body.version === '0.1.1',
    );
    expect(readFileSync(join(dir, 'daemon.log'), 'utf8')).toContain('release 0.1.2 is broken on purpose');
    console.log(
      `update 0.1.1 → 0.1.2 (broken): rolled back, at the hub ${((performance.now() - t0) / 1000).toFixed(1)} s after the rollout; daemon starts: ${daemon!.starts.length}`,
    );
  }, 300_000);
});
