import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthReply } from '../../../common/contracts/daemon-api/health.js';
import type { UpdateOffer } from '../../../common/contracts/updates.js';
import { generateApplianceKey, publicKeyPemFromRaw } from '../../../common/evidence/keys.js';
import { silentLogger } from '../../../common/log.js';
import { readUpdateJob } from '../../../common/release/update-job.js';
import { until } from '../../../tests/helpers/until.js';
import { PEOPLE_ROLES } from '../../../hub/auth/identity.js';
import { sha256Hex } from '../../../hub/config/auth.js';
import { createHub } from '../../../hub/create-hub.js';
import { enrollRooms, testHubDeps } from '../../../hub/test/hub-fixture.js';
import { bareReport } from '../../../common/contracts/test/samples.js';
import { buildRelease } from '../../../provisioning/release/build-release.js';
import { createUpdater } from './create-updater.js';

// The room's updater against a real hub on loopback (its shelf, rollout and offers over HTTP) and real signed
// releases; only the installer's start is caught (it restarts the room: tests/e2e/update-rollback.test.ts).

const TECH = 'tech-token';
const releaseKey = generateApplianceKey();
const dir = mkdtempSync(join(tmpdir(), 'updater-'));
let hub: ReturnType<typeof createHub>;
let url: string;
let roomToken: string;

const tech = (path: string, init: RequestInit) =>
  fetch(`${url}/api/v1${path}`, { ...init, headers: { authorization: `Bearer ${TECH}`, ...(init.headers as object) } });

beforeAll(async () => {
  const keyFile = join(dir, 'hub-release-key.pem');
  writeFileSync(keyFile, publicKeyPemFromRaw(releaseKey.publicKeyRaw));
  hub = createHub(
    testHubDeps({
      tokens: [{ name: 'tech', sha256: sha256Hex(TECH), roles: [...PEOPLE_ROLES] }],
      stateDir: join(dir, 'hub'),
      updates: { releaseKeyFile: keyFile },
    }),
  );
  const built = await hub.start();
  url = hub.address();
  [roomToken] = await enrollRooms(built.enrollment, 1);
  const src = join(dir, 'src');
  mkdirSync(join(src, 'dist'), { recursive: true });
  writeFileSync(join(src, 'dist/main.js'), '// 0.9.0\n');
  writeFileSync(join(src, 'package.json'), JSON.stringify({ version: '0.9.0' }));
  writeFileSync(join(src, 'package-lock.json'), '{}');
  const r = await buildRelease({ root: src, outDir: join(dir, 'out'), privateKeyPem: releaseKey.privateKeyPem, withModules: false });
  expect(
    (
      await tech('/updates/releases/0.9.0/release.json', {
        method: 'PUT',
        body: readFileSync(r.releaseFile),
        headers: { 'content-type': 'application/json' },
      })
    ).status,
  ).toBe(201);
  expect(
    (
      await tech('/updates/releases/0.9.0/archive', {
        method: 'PUT',
        body: readFileSync(r.archive),
        headers: { 'content-type': 'application/octet-stream' },
      })
    ).status,
  ).toBe(200);
  expect(
    (
      await tech('/updates/rollout', {
        method: 'PUT',
        body: JSON.stringify({ version: '0.9.0', rooms: ['room-demo'] }),
        headers: { 'content-type': 'application/json' },
      })
    ).status,
  ).toBe(200);
});
afterAll(() => hub?.stop());

/** What the hub offers room-demo in the answer to a report (as the fleet reporter would send it). */
async function offer(): Promise<UpdateOffer> {
  const body = bareReport();
  const res = await fetch(`${url}/api/v1/fleet/rooms/room-demo/report`, {
    method: 'POST',
    headers: { authorization: `Bearer ${roomToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = (await res.json()) as { update?: UpdateOffer };
  expect(answer.update, JSON.stringify(answer)).toBeDefined();
  return answer.update!;
}

function room(name: string, trusted: Buffer, opts: { installRoot?: string; systemd?: boolean; unitJobFile?: string } = {}) {
  const stateDir = join(dir, name);
  mkdirSync(join(stateDir, 'keys'), { recursive: true });
  writeFileSync(join(stateDir, 'keys/release-public.pem'), publicKeyPemFromRaw(trusted));
  const state = { busy: false, launched: [] as Array<{ jobFile: string }>, unitStarts: 0 };
  const health = { status: 'ok', gateway: { state: 'connected' }, media: { health: { state: 'online' } } } as unknown as HealthReply;
  const updater = createUpdater({
    config: { enabled: true, releaseKeyFile: '', installRoot: opts.installRoot ?? join(dir, 'opt'), windowSeconds: 60, stableSeconds: 10 },
    stateDir,
    apiPort: 8080,
    link: async () => ({ baseUrl: url, token: roomToken, fetch }),
    health: { snapshot: () => health },
    busy: () => state.busy,
    restart: { kind: 'signal', systemdUnits: [], pm2Apps: [], pids: [4242] },
    systemd: opts.systemd ?? false,
    logger: silentLogger(),
    appRoot: join(dir, 'app'),
    launch: (o) => (state.launched.push(o), 4343),
    launchUnit: async () => void state.unitStarts++,
    unitJobFile: opts.unitJobFile ?? join(stateDir, 'updates/job.json'),
    waitMs: 20,
  });
  return { updater, state, stateDir };
}

describe('the room updater', () => {
  it('fetches and checks the offered release, waits for the hearing to end, then starts the installer with its job', async () => {
    const r = room('room-a', releaseKey.publicKeyRaw);
    await r.updater.start();
    r.state.busy = true;
    r.updater.offer(await offer());
    await until('waiting for the hearing to end', 30_000, () => r.updater.status()?.state === 'waiting-for-hearing-end');
    expect(r.state.launched).toHaveLength(0);
    r.state.busy = false;
    await until('installer started', 30_000, () => r.state.launched.length === 1);
    expect(r.updater.status()).toMatchObject({ version: '0.9.0', state: 'installing' });
    const job = await readUpdateJob(r.state.launched[0]!.jobFile);
    expect(job).toMatchObject({
      version: '0.9.0',
      healthUrl: 'http://127.0.0.1:8080/api/v1/health',
      before: { status: 'ok', gateway: 'connected', media: 'online' },
    });
    expect(job.restart.pids).toEqual([4242]);
    expect(readdirSync(join(r.stateDir, 'updates/0.9.0')).sort()).toEqual(['reception-0.9.0-app.tar.gz', 'release.json']);
    r.updater.offer(await offer()); // the same attempt again: nothing more
    expect(r.state.launched).toHaveLength(1);
    await r.updater.stop();
    const again = room('room-a', releaseKey.publicKeyRaw); // a restarted daemon knows where it was
    await again.updater.start();
    expect(again.updater.status()).toMatchObject({ state: 'installing', version: '0.9.0' });
  });

  it('a box trusting another release key refuses before fetching the archive', async () => {
    const r = room('room-b', generateApplianceKey().publicKeyRaw);
    await r.updater.start();
    r.updater.offer(await offer());
    await until('refused', 30_000, () => r.updater.status()?.state === 'refused');
    expect(r.updater.status()?.reason).toMatch(/khóa khác.*another key/);
    expect(existsSync(join(r.stateDir, 'updates/0.9.0/reception-0.9.0-app.tar.gz'))).toBe(false);
    expect(r.state.launched).toHaveLength(0);
  });

  it('under systemd: the job waits where the installer unit reads it and the unit is started (no process of its own)', async () => {
    const r = room('room-d', releaseKey.publicKeyRaw, { systemd: true });
    await r.updater.start();
    r.updater.offer(await offer());
    await until('installer unit started', 30_000, () => r.state.unitStarts === 1);
    expect(r.updater.status()).toMatchObject({ state: 'installing', version: '0.9.0' });
    expect((await readUpdateJob(join(r.stateDir, 'updates/job.json'))).version).toBe('0.9.0');
    expect(r.state.launched).toHaveLength(0);
  });

  it('under systemd with the state elsewhere than the unit reads: refused with the reason, nothing fetched', async () => {
    const r = room('room-e', releaseKey.publicKeyRaw, { systemd: true, unitJobFile: '/var/lib/reception/state/updates/job.json' });
    await r.updater.start();
    r.updater.offer(await offer());
    await until('refused', 30_000, () => r.updater.status()?.state === 'refused');
    expect(r.updater.status()?.reason).toMatch(/installer unit reads its job from \/var\/lib\/reception\/state/);
    expect(existsSync(join(r.stateDir, 'updates/0.9.0'))).toBe(false);
    expect(r.state.unitStarts).toBe(0);
  });

  it('a box not running from an installed layout says so', async () => {
    const r = room('room-c', releaseKey.publicKeyRaw, { installRoot: '' });
    await r.updater.start();
    r.updater.offer(await offer());
    await until('refused', 30_000, () => r.updater.status()?.state === 'refused');
    expect(r.updater.status()?.reason).toMatch(/installed layout/);
  });
});
