import { execFile, spawnSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEnrollment } from '../../common/contracts/enrollment-file.js';
import { sha256Hex } from '../../common/http/credentials.js';
import { spawnReady, type ReadyChild } from '../../common/process/spawn-ready.js';
import { createHubTrust, type HubTrust } from '../../common/tls/hub-trust.js';
import { createBrowser, firstForm } from '../../hub/oidc/test/browser.js';
import { startTestProvider } from '../../hub/oidc/test/test-provider.js';
import { launchBrowser, type Page, type TestBrowser } from '../helpers/browser.js';
import { freePort } from '../helpers/free-port.js';
import { startLinkedRoom } from '../helpers/hub-process.js';
import { videoPlaying } from '../helpers/media-checks.js';
import { CLI, json } from '../helpers/room-processes.js';
import { until } from '../helpers/until.js';

// Issue 10, "Done when": a hub process on https (its internal CA, no loopback officers) and nothing else
// trusted. A technician issues a one-time code through the API (technician token) and the simulated room
// enrolls with it; one officer signs in through the province's SSO (a real oidc-provider on its own port),
// another with a local account (`reception hub user add --totp`, the code from otplib) in Chromium. The SSO
// officer creates the hearing; the room's gateway joins over wss with its enrolled credential; the local
// officer joins in Chromium over wss and sees the room's picture. Attackers in the same run are refused.
// The hearing ends, the recording reaches the archive, verified against the registry, and
// `reception verify --registry <export>` exits 0.

const TECH_TOKEN = 'trust-e2e-technician-token';
const PASSWORD = 'mat-khau-tiep-dan-2026';
let dir: string;
let stateDir: string;
let base: string;
let hub: ReadyChild<{ url: string }>;
let idp: Awaited<ReturnType<typeof startTestProvider>>;
let room: Awaited<ReturnType<typeof startLinkedRoom>>;
let trust: HubTrust;
let chromium: TestBrowser;
let totpSecret: string;

/** A call to the hub over TLS with the given headers (a cookie, a Bearer token, or nothing). */
async function call<T = any>(path: string, headers: Record<string, string>, init: { method?: string; body?: unknown } = {}) {
  const body = init.body === undefined ? undefined : JSON.stringify(init.body);
  const res = await trust.fetch(`${base}${path}`, {
    method: init.method ?? 'GET',
    headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) },
    body,
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as T };
}
const technician = { authorization: `Bearer ${TECH_TOKEN}` };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trust-e2e-'));
  stateDir = join(dir, 'hub');
  const port = await freePort();
  base = `https://127.0.0.1:${port}`;
  idp = await startTestProvider({
    redirectUri: `${base}/auth/oidc/callback`,
    clientSecret: 'secret-of-the-hub',
    people: { 'hung.lv': { name: 'Lê Văn Hùng', roles: ['tcd-can-bo'] } },
  });
  const config = join(dir, 'hub.json');
  writeFileSync(
    config,
    JSON.stringify({
      host: '127.0.0.1',
      publicUrl: base,
      stateDir,
      tls: { mode: 'internal-ca' },
      tokens: [{ name: 'Kỹ thuật viên', sha256: sha256Hex(TECH_TOKEN), roles: ['technician'] }],
      oidc: {
        enabled: true,
        issuer: idp.issuer,
        clientId: 'reception-hub',
        clientSecret: 'secret-of-the-hub',
        roleMap: { 'tcd-can-bo': ['officer'] },
      },
    }),
    { mode: 0o600 },
  );
  hub = await spawnReady(process.execPath, [CLI, 'hub', '--config', config, '--port', String(port)], {
    logFile: join(dir, 'hub.log'),
    timeoutMs: 30_000,
  });
  trust = createHubTrust({ caPem: readFileSync(join(stateDir, 'tls', 'ca.pem'), 'utf8') });
  // The local account, added while the hub runs (it re-reads accounts.json), with a second factor.
  writeFileSync(join(dir, 'password'), `${PASSWORD}\n`, { mode: 0o600 });
  const add = spawnSync(
    process.execPath,
    [CLI, 'hub', 'user', 'add', 'lan', '--role', 'officer', '--totp', '--password-file', join(dir, 'password'), '--config', config],
    { encoding: 'utf8' },
  );
  expect(add.status, add.stderr).toBe(0);
  totpSecret = new URL(add.stdout.match(/otpauth:\/\/\S+/)![0]).searchParams.get('secret')!;
  // The technician's code through the API, typed into `reception enroll` on the box.
  const issued = await call<{ code: string }>('/api/v1/enrollment/codes', technician, {
    method: 'POST',
    body: { room: 'room-demo', name: 'Phòng tiếp dân xã', ttlMinutes: 30 },
  });
  expect(issued.status).toBe(201);
  room = await startLinkedRoom({ url: base, signalUrl: `wss://127.0.0.1:${port}/api/v1/signal`, stateDir }, 1, {
    picture: true,
    enrollCode: issued.body.code,
  });
  const cert = new X509Certificate(readFileSync(join(stateDir, 'tls', 'server.pem')));
  const spki = createHash('sha256')
    .update(cert.publicKey.export({ type: 'spki', format: 'der' }))
    .digest('base64');
  // Chromium accepts the hub's certificate by its key (no certutil here to install the CA; console-tls-browser).
  chromium = await launchBrowser({ args: [`--ignore-certificate-errors-spki-list=${spki}`, '--autoplay-policy=no-user-gesture-required'] });
}, 180_000);

afterAll(async () => {
  await chromium?.close();
  await room?.stop();
  await hub?.stop('SIGINT');
  await idp?.stop();
  await trust?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a hearing over TLS with an enrolled room and signed-in officers', () => {
  let sso: Record<string, string>; // the SSO officer's cookie and csrf token
  let hearing: string;
  let roomToken: string;

  it('the room enrolled by code over https: in the registry, online over wss', async () => {
    const enrollment = await readEnrollment(room.env.RECEPTION_STATE_DIR);
    expect(enrollment).toMatchObject({ hubUrl: base, room: 'room-demo' });
    roomToken = enrollment!.token;
    const registry = await call<{ id: string; state: string; keys: { enrolledBy: string }[] }[]>('/api/v1/registry/rooms', technician);
    expect(registry.body.find((r) => r.id === 'room-demo')).toMatchObject({ state: 'active' });
    await until('room-demo online at the hub', 60_000, async () => {
      const rooms = (await call<{ id: string; online: boolean }[]>('/api/v1/rooms', technician)).body;
      return rooms?.find((r) => r.id === 'room-demo' && r.online);
    });
  }, 90_000);

  it("an officer signs in through the province's SSO and creates the hearing", async () => {
    const browser = createBrowser({ caPem: readFileSync(join(stateDir, 'tls', 'ca.pem'), 'utf8') });
    const start = await browser.navigate(`${base}/auth/oidc/start`);
    expect(start.url.origin).toBe(idp.issuer);
    const login = firstForm(start.text, start.url);
    const consent = await browser.navigate(login.action, {
      method: 'POST',
      form: { ...login.fields, login: 'hung.lv', password: 'x' },
      from: start.url.href,
    });
    const form = firstForm(consent.text, consent.url);
    const done = await browser.navigate(form.action, { method: 'POST', form: form.fields, from: consent.url.href });
    expect(done.url.href).toBe(`${base}/console/`);
    const cookie = browser.cookies(new URL(base).host).find((c) => c.name === 'reception_session')!;
    const session = await call<{ name: string; roles: string[]; csrf: string }>('/api/v1/session', {
      cookie: `reception_session=${cookie.value}`,
    });
    expect(session.body).toMatchObject({ name: 'hung.lv', roles: ['officer'] });
    sso = { cookie: `reception_session=${cookie.value}`, 'x-csrf-token': session.body.csrf };
    const created = await call<{ id: string }>('/api/v1/hearings', sso, {
      method: 'POST',
      body: { title: 'Phiên tin cậy', rooms: ['room-demo'] },
    });
    expect(created.status).toBe(201);
    hearing = created.body.id;
  }, 60_000);

  it('attackers: no credential → 401, the room token and the technician on officer routes → 403, no csrf → 403', async () => {
    expect((await call('/api/v1/hearings', {})).status).toBe(401);
    expect((await call(`/api/v1/hearings/${hearing}/end`, {}, { method: 'POST', body: {} })).status).toBe(401);
    const asRoom = { authorization: `Bearer ${roomToken}` };
    expect((await call(`/api/v1/hearings/${hearing}/end`, asRoom, { method: 'POST', body: {} })).status).toBe(403);
    expect((await call('/api/v1/hearings', asRoom, { method: 'POST', body: { title: 'giả', rooms: [] } })).status).toBe(403);
    const tech = await call<{ message: string }>('/api/v1/hearings', technician, { method: 'POST', body: { title: 'giả', rooms: [] } });
    expect(tech.status).toBe(403);
    expect(tech.body.message).toMatch(/officer/);
    const noCsrf = await call(`/api/v1/hearings/${hearing}/end`, { cookie: sso.cookie }, { method: 'POST', body: {} });
    expect(noCsrf.status).toBe(403);
    expect((await call<{ state: string }>(`/api/v1/hearings/${hearing}`, sso)).body.state).toBe('active');
  }, 30_000);

  it('a local officer with TOTP signs in in Chromium, joins over wss and sees the room', async () => {
    await until('room-demo publishing', 90_000, async () => {
      const rooms = (await call<{ id: string; publishing: boolean }[]>('/api/v1/rooms', sso)).body;
      return rooms?.find((r) => r.id === 'room-demo' && r.publishing);
    });
    const page: Page = await chromium.newPage();
    await page.goto(`${base}/console/`);
    await page.waitForURL(/\/console\/signin\.html/, { timeout: 30_000 });
    await page.fill('#name', 'lan');
    await page.fill('#password', PASSWORD);
    await page.fill('#totp', await generate({ secret: totpSecret }));
    await page.click('#signin-submit');
    await page.waitForURL(`${base}/console/`, { timeout: 30_000 });
    await until('the signed-in officer in the header', 30_000, async () => (await page.textContent('#who'))?.includes('lan (officer)'));
    await page.goto(`${base}/console/?join=${hearing}&name=C%C3%A1n%20b%E1%BB%99%20Lan`);
    expect(await page.evaluate(() => location.protocol)).toBe('https:');
    const size = await videoPlaying(page, 'video[data-participant="room-demo"]', 90_000);
    expect(size.width).toBeGreaterThan(0);
    const h = await call<{ participants: { id: string; kind: string }[] }>(`/api/v1/hearings/${hearing}`, sso);
    expect(h.body.participants.map((p) => p.kind).sort()).toEqual(expect.arrayContaining(['officer', 'room']));
  }, 240_000);

  it('the hearing ends; its recording reaches the archive, verified against the registry; reception verify exits 0', async () => {
    const recording = `${hearing}.room-demo`;
    const local = join(room.dir, 'sim', 'recordings', recording);
    await until(
      'three segments recorded',
      90_000,
      () => existsSync(local) && readdirSync(local).filter((f) => f.endsWith('.ts')).length >= 3,
    );
    expect((await call(`/api/v1/hearings/${hearing}/end`, sso, { method: 'POST', body: {} })).status).toBe(200);
    await until('the room stopped recording', 60_000, async () => (await json(`${room.api}/api/v1/recording`)).body.state === 'idle');
    await until(
      'the backlog drained over https',
      120_000,
      async () => (await json(`${room.api}/api/v1/health`)).body.uploader?.backlogFiles === 0,
    );
    const archived = await until('the archive verified the hearing', 90_000, async () => {
      const r = await call<{ state: string; keyFingerprint?: string }>(`/api/v1/archive/hearings/${encodeURIComponent(recording)}`, sso);
      return r.status === 200 && r.body.state === 'verified' && r.body;
    });
    const registry = await call<{ id: string; keys: { fingerprint: string }[] }[]>('/api/v1/registry/rooms', technician);
    expect(archived.keyFingerprint).toBe(registry.body.find((r) => r.id === 'room-demo')!.keys[0]!.fingerprint);
    const exportFile = join(dir, 'registry-export.json');
    writeFileSync(exportFile, JSON.stringify((await call('/api/v1/registry/export', technician)).body));
    const hubKey = (await call<{ publicKey: string }>('/api/v1/archive/key', {})).body.publicKey;
    const verify = await promisify(execFile)(
      process.execPath,
      [CLI, 'verify', join(stateDir, 'archive', recording), '--registry', exportFile, '--hub-key', hubKey],
      { timeout: 60_000 },
    ).then(
      (r) => ({ code: 0, out: r.stdout + r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
    );
    expect(verify.code, verify.out).toBe(0);
  }, 360_000);

  it("the hub's audit log tells the run (enrollment, sign-ins, the hearing, the refusals) and its chain is intact", () => {
    const check = spawnSync(process.execPath, [CLI, 'hub', 'audit', 'verify', '--state-dir', stateDir], { encoding: 'utf8' });
    expect(check.status, check.stdout + check.stderr).toBe(0);
    const entries = readFileSync(join(stateDir, 'audit.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { actor: string; action: string; outcome: string });
    const seen = (actor: string | RegExp, action: string, outcome: string) =>
      expect.objectContaining({ actor: typeof actor === 'string' ? actor : expect.stringMatching(actor), action, outcome });
    expect(entries).toEqual(
      expect.arrayContaining([
        seen(/Kỹ thuật viên/, 'enroll.code', 'ok'),
        seen(/./, 'enroll', 'ok'),
        seen('hung.lv', 'signin', 'ok'),
        seen('lan', 'signin', 'ok'),
        seen('hung.lv', 'hearing.create', 'ok'),
        seen('anonymous', 'refused', 'refused'),
        seen(/room-demo/, 'refused', 'refused'),
        seen(/Kỹ thuật viên/, 'refused', 'refused'),
      ]),
    );
  });
});
