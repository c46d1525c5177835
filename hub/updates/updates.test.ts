import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomReport } from '../../common/contracts/fleet.js';
import { generateApplianceKey, publicKeyPemFromRaw } from '../../common/evidence/keys.js';
import { buildRelease } from '../../provisioning/release/build-release.js';
import { sha256Hex } from '../config/auth.js';
import { buildHub } from '../create-hub.js';
import { enrollRooms, testHubDeps } from '../test/hub-fixture.js';
import { bareReport } from '../../common/contracts/test/samples.js';

// hub/updates through the real hub (inject) and real signed releases (tar + Ed25519): what technicians may
// put on the shelf, what rooms are offered in the answer to their report, and how the rollout reads back.

const TECH = 'tech-token';
const MONITOR = 'monitor-token';
const releaseKey = generateApplianceKey();
const otherKey = generateApplianceKey();
const dir = mkdtempSync(join(tmpdir(), 'hub-updates-'));

async function release(key: typeof releaseKey, version: string, out: string) {
  const root = join(dir, `root-${version}`);
  mkdirSync(join(root, 'dist'), { recursive: true });
  writeFileSync(join(root, 'dist/main.js'), `console.log(${JSON.stringify(version)})\n`);
  writeFileSync(join(root, 'package.json'), JSON.stringify({ version }));
  writeFileSync(join(root, 'package-lock.json'), '{}');
  return buildRelease({ root, outDir: join(dir, out), privateKeyPem: key.privateKeyPem, withModules: false });
}

const report = (version: string, update?: RoomReport['update']): RoomReport => bareReport({ version, ...(update ? { update } : {}) });

describe('hub/updates: releases, rollout, offers', () => {
  let h: Awaited<ReturnType<typeof buildHub>>;
  let roomToken: string;
  beforeAll(async () => {
    const keyFile = join(dir, 'release-public.pem');
    writeFileSync(keyFile, publicKeyPemFromRaw(releaseKey.publicKeyRaw));
    h = await buildHub(
      testHubDeps({
        tokens: [
          { name: 'tech', sha256: sha256Hex(TECH), roles: ['technician'] },
          { name: 'monitor', sha256: sha256Hex(MONITOR), roles: ['monitor'] },
        ],
        stateDir: join(dir, 'state'),
        updates: { releaseKeyFile: keyFile },
      }),
    );
    await h.app.ready();
    [roomToken] = await enrollRooms(h.enrollment, 1);
  });
  afterAll(() => h?.app.close());

  const call = (method: 'GET' | 'PUT' | 'POST', url: string, token?: string, payload?: unknown, type = 'application/json') =>
    h.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(payload !== undefined ? { 'content-type': type } : {}) },
      payload: payload as string,
    });
  const putRelease = async (r: Awaited<ReturnType<typeof release>>, token = TECH) => {
    const json = JSON.parse(readFileSync(r.releaseFile, 'utf8'));
    const a = await call('PUT', `/updates/releases/${r.manifest.version}/release.json`, token, json);
    return a;
  };
  const putArchive = (version: string, bytes: Buffer, token = TECH) =>
    call('PUT', `/updates/releases/${version}/archive`, token, bytes, 'application/octet-stream');
  const reportNow = (body: RoomReport) =>
    h.app.inject({
      method: 'POST',
      url: '/api/v1/fleet/rooms/room-demo/report',
      headers: { authorization: `Bearer ${roomToken}` },
      payload: body,
    });

  it('takes a release only signed by the release key, an archive only with its signed size and hash', async () => {
    const good = await release(releaseKey, '0.2.0', 'good');
    expect((await putRelease(good, MONITOR)).statusCode).toBe(403);
    expect((await putRelease(good, '')).statusCode).toBe(401);
    const forged = await release(otherKey, '0.3.0', 'forged');
    const refused = await putRelease(forged);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().message).toMatch(/khóa khác.*another key/s);
    const mismatch = await call('PUT', '/updates/releases/0.9.0/release.json', TECH, JSON.parse(readFileSync(good.releaseFile, 'utf8')));
    expect(mismatch.json()).toMatchObject({ statusCode: 400, field: '/manifest/version' });

    expect((await putRelease(good)).statusCode).toBe(201);
    const bytes = readFileSync(good.archive);
    const altered = Buffer.from(bytes);
    altered[altered.length - 5]! ^= 1;
    const bad = await putArchive('0.2.0', altered);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/signed release says/);
    expect((await call('GET', '/updates/releases', MONITOR)).json()).toEqual([
      expect.objectContaining({ version: '0.2.0', complete: false }),
    ]);
    const ok = await putArchive('0.2.0', bytes);
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await call('GET', '/updates/releases', MONITOR)).json()).toEqual([
      expect.objectContaining({ version: '0.2.0', complete: true }),
    ]);
  });

  it('offers the target to the room until it runs it; a rollback stops the offers until the target is set again', async () => {
    expect((await reportNow(report('0.1.0'))).json().update).toBeUndefined(); // no target yet
    const unknownRoom = await call('PUT', '/updates/rollout', TECH, { version: '0.2.0', rooms: ['room-demo', 'room-x'] });
    expect(unknownRoom.json()).toMatchObject({ statusCode: 400, field: '/rooms/1' });
    expect((await call('PUT', '/updates/rollout', TECH, { version: '7.0.0', rooms: ['room-demo'] })).json()).toMatchObject({
      field: '/version',
    });
    expect((await call('PUT', '/updates/rollout', TECH, { version: '0.2.0', rooms: ['room-demo'] })).statusCode).toBe(200);

    const offer = (await reportNow(report('0.1.0'))).json().update;
    expect(offer).toMatchObject({
      version: '0.2.0',
      releasePath: '/api/v1/updates/releases/0.2.0/release.json',
      bytes: expect.any(Number),
    });
    // The room fetches with its own token; Range works for a resumed download.
    const rel = await h.app.inject({ method: 'GET', url: offer.releasePath, headers: { authorization: `Bearer ${roomToken}` } });
    expect(rel.statusCode).toBe(200);
    expect(rel.json().manifest.version).toBe('0.2.0');
    const part = await h.app.inject({
      method: 'GET',
      url: offer.archivePath,
      headers: { authorization: `Bearer ${roomToken}`, range: 'bytes=10-19' },
    });
    expect(part.statusCode).toBe(206);
    expect(part.rawPayload.length).toBe(10);
    expect((await h.app.inject({ method: 'GET', url: offer.archivePath })).statusCode).toBe(401);

    const status = (state: 'installing' | 'rolled-back', attempt = offer.attempt) => ({
      version: '0.2.0',
      attempt,
      state,
      reason: state === 'rolled-back' ? 'không khỏe sau 60 s — not healthy within 60 s' : null,
      at: new Date().toISOString(),
    });
    expect((await reportNow(report('0.1.0', status('installing')))).json().update).toBeDefined();
    expect((await reportNow(report('0.1.0', status('rolled-back')))).json().update).toBeUndefined();
    expect((await call('GET', '/updates/rollout', MONITOR)).json()).toEqual([
      expect.objectContaining({
        room: 'room-demo',
        state: 'rolled-back',
        running: '0.1.0',
        update: expect.objectContaining({ reason: expect.stringMatching(/60 s/) }),
      }),
    ]);
    await call('PUT', '/updates/rollout', TECH, { version: '0.2.0', rooms: ['room-demo'] }); // try again: a new attempt
    const again = (await reportNow(report('0.1.0', status('rolled-back')))).json().update;
    expect(again.attempt).not.toBe(offer.attempt);
    expect((await reportNow(report('0.2.0'))).json().update).toBeUndefined();
    expect((await call('GET', '/updates/rollout', MONITOR)).json()[0]).toMatchObject({ state: 'up-to-date', running: '0.2.0' });
  });
});
