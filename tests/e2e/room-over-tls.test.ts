import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEnrollment } from '../../common/contracts/enrollment-file.js';
import { sha256Hex } from '../../common/http/credentials.js';
import { spawnReady, type ReadyChild } from '../../common/process/spawn-ready.js';
import { createHubTrust, type HubTrust } from '../../common/tls/hub-trust.js';
import { PEOPLE_ROLES } from '../../hub/auth/identity.js';
import { freePort } from '../helpers/free-port.js';
import { startLinkedRoom } from '../helpers/hub-process.js';
import { CLI, json } from '../helpers/room-processes.js';
import { until } from '../helpers/until.js';

// Issue 10, TLS end to end with real processes: a hub on https with its internal CA (no loopback
// officers: an API token with roles), a whole simulated room enrolled by one-time code over https. The
// room's gateway signals over wss, its fleet reporter and uploader speak https, all trusting only the CA
// the enrollment gave them; a recorded hearing reaches the archive and verifies against the registry.

const TOKEN = 'tls-e2e-officer-token';
let dir: string;
let stateDir: string;
let base: string;
let hub: ReadyChild<{ url: string }>;
let room: Awaited<ReturnType<typeof startLinkedRoom>>;
let trust: HubTrust;
let caPem: string;

/** An officer's call to the hub over TLS, with the API token. */
async function hubJson<T = any>(path: string, init: { method?: string; body?: string } = {}): Promise<{ status: number; body: T }> {
  const res = await trust.fetch(`${base}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${TOKEN}`, ...(init.body ? { 'content-type': 'application/json' } : {}) },
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as T };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'room-tls-e2e-'));
  stateDir = join(dir, 'hub');
  const port = await freePort();
  const config = join(dir, 'hub.json');
  writeFileSync(
    config,
    JSON.stringify({
      host: '127.0.0.1',
      stateDir,
      tls: { mode: 'internal-ca' },
      tokens: [{ name: 'Cán bộ e2e', sha256: sha256Hex(TOKEN), roles: [...PEOPLE_ROLES] }],
    }),
    { mode: 0o600 },
  );
  hub = await spawnReady(process.execPath, [CLI, 'hub', '--config', config, '--port', String(port)], {
    logFile: join(dir, 'hub.log'),
    timeoutMs: 30_000,
  });
  base = `https://127.0.0.1:${port}`;
  caPem = readFileSync(join(stateDir, 'tls', 'ca.pem'), 'utf8');
  trust = createHubTrust({ caPem });
  room = await startLinkedRoom({ url: base, signalUrl: `wss://127.0.0.1:${port}/api/v1/signal`, stateDir }, 1, { picture: true });
}, 120_000);

afterAll(async () => {
  await room?.stop();
  await hub?.stop('SIGINT');
  await trust?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a room enrolled over https works only through TLS', () => {
  it('enrollment pinned the hub CA; signaling (wss) and fleet reports (https) reach the hub', async () => {
    expect(hub.ready.url).toBe(base);
    const enrollment = await readEnrollment(room.env.RECEPTION_STATE_DIR);
    expect(enrollment?.hubUrl).toBe(base);
    expect(enrollment?.caPem).toBe(caPem);
    const online = await until('room-demo online and reporting at the hub', 60_000, async () => {
      const rooms = (await hubJson<{ id: string; online: boolean; health: unknown }[]>('/api/v1/rooms')).body;
      return rooms?.find((r) => r.id === 'room-demo' && r.online && r.health);
    });
    expect(online).toMatchObject({ id: 'room-demo', online: true });
    expect((await fetch(`${base}/api/v1/rooms`).catch((e: Error) => e)) instanceof Error).toBe(true); // without the CA: no answer
  }, 90_000);

  it('a recorded hearing is uploaded over https and the archive verifies it against the registry', async () => {
    const created = await hubJson<{ id: string }>('/api/v1/hearings', {
      method: 'POST',
      body: JSON.stringify({ title: 'Phiên qua TLS', rooms: ['room-demo'] }),
    });
    expect(created.status).toBe(201);
    const recording = `${created.body.id}.room-demo`;
    const local = join(room.dir, 'sim', 'recordings', recording);
    await until(
      'three segments recorded',
      60_000,
      () => existsSync(local) && readdirSync(local).filter((f) => f.endsWith('.ts')).length >= 3,
    );
    expect((await hubJson(`/api/v1/hearings/${created.body.id}/end`, { method: 'POST', body: '{}' })).status).toBe(200);
    await until('the room stopped recording', 30_000, async () => (await json(`${room.api}/api/v1/recording`)).body.state === 'idle');
    await until(
      'the backlog drained over https',
      90_000,
      async () => (await json(`${room.api}/api/v1/health`)).body.uploader?.backlogFiles === 0,
    );
    const archived = await until('the archive verified the hearing', 60_000, async () => {
      const r = await hubJson<{ state: string }>(`/api/v1/archive/hearings/${encodeURIComponent(recording)}`);
      return r.status === 200 && r.body.state === 'verified' && r.body;
    });
    expect(archived.state).toBe('verified');
    // Offline, as an archivist would: the hub-signed registry export and the hub key.
    const exportFile = join(dir, 'registry-export.json');
    writeFileSync(exportFile, JSON.stringify((await hubJson('/api/v1/registry/export')).body));
    const hubKey = (await hubJson<{ publicKey: string }>('/api/v1/archive/key')).body.publicKey;
    const verify = await promisify(execFile)(
      process.execPath,
      [CLI, 'verify', join(stateDir, 'archive', recording), '--registry', exportFile, '--hub-key', hubKey],
      { timeout: 60_000 },
    ).then(
      (r) => ({ code: 0, out: r.stdout + r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
    );
    expect(verify.code, verify.out).toBe(0);
  }, 240_000);
});
