import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promtoolProblems } from '../../common/metrics/test/promtool.js';
import { SIGNALING_PROTOCOL } from '../../common/contracts/signaling/messages.js';
import { silentLogger } from '../../common/log.js';
import { createHubTrust } from '../../common/tls/hub-trust.js';
import { ensureInternalCa } from '../../common/tls/internal-ca.js';
import { tlsErrorCode } from '../../common/tls/tls-errors.js';
import { PEOPLE_ROLES } from '../auth/identity.js';
import { sha256Hex } from '../config/auth.js';
import { buildHub, createHub } from '../create-hub.js';
import { enrollRoomAt } from '../test/enroll-room.js';
import { HSTS } from './hsts.js';
import { resolveHubTls, type HubTls } from './hub-tls.js';

// The hub on https with its internal CA, in process: one server for enrollment, the API, the console, the
// CA download and WSS signaling; rooms and officers connect with the CA, nobody without it.

const OFFICER = 'officer-tls-token';
let root: string;
let tls: HubTls;
let hub: ReturnType<typeof createHub>;
let base: string;
let port: number;

const plainDeps = () => ({
  host: '127.0.0.1',
  port: 0,
  publicUrl: '',
  rooms: [],
  tokens: [{ name: 'Cán bộ', sha256: sha256Hex(OFFICER), roles: [...PEOPLE_ROLES] }],
  allowLoopbackOfficers: false,
  ice: { hostAddresses: ['127.0.0.1'], useIpv6: false, stunUrls: [], portMin: 0, portMax: 0 },
  logger: silentLogger(),
});

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'hub-https-'));
  const stateDir = join(root, 'hub');
  tls = await resolveHubTls({
    tls: { mode: 'internal-ca', certFile: '', keyFile: '', caFile: '', hostnames: [] },
    host: '127.0.0.1',
    publicUrl: '',
    stateDir,
    now: new Date(Date.now() - 340 * 86_400_000), // issued 340 days ago: 25 days left, inside the renewal window
  });
  hub = createHub({ ...plainDeps(), stateDir, tls });
  await hub.start();
  base = hub.address();
  port = Number(new URL(base).port);
});
afterAll(async () => {
  await hub?.stop();
  rmSync(root, { recursive: true, force: true });
});

/** The first message of a signaling socket after `hello` as a room, or the connection's error. */
function roomHello(url: string, opts: WebSocket.ClientOptions, room: string): Promise<{ type: string } | Error> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { ...opts, handshakeTimeout: 10_000 });
    ws.once('open', () => ws.send(JSON.stringify({ type: 'hello', protocol: SIGNALING_PROTOCOL, kind: 'room', id: room, name: room })));
    ws.once('message', (m) => {
      resolve(JSON.parse(String(m)) as { type: string });
      ws.close();
    });
    ws.once('error', (err) => resolve(err));
  });
}

/** The serial number of the certificate a fresh TLS connection to the hub is shown. */
function servedSerial(): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port, ca: tls.caPem, servername: 'localhost' }, () => {
      resolve(s.getPeerCertificate().serialNumber);
      s.end();
    });
    s.once('error', reject);
  });
}

describe('hub over https with its internal CA', () => {
  it('a room enrolls over https, gets the CA, then signals over wss trusting only that CA', async () => {
    expect(base).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const enrollment = await enrollRoomAt({
      hubUrl: base,
      hubStateDir: join(root, 'hub'),
      room: 'room-tls',
      boxStateDir: join(root, 'box'),
    });
    expect(enrollment.caPem).toBe(tls.caPem);
    const trust = createHubTrust({ caPem: enrollment.caPem });
    const signal = `wss://127.0.0.1:${port}/api/v1/signal`;
    const answer = await roomHello(signal, { ...trust.wsOptions, headers: { authorization: `Bearer ${enrollment.token}` } }, 'room-tls');
    expect(answer, JSON.stringify(answer)).toMatchObject({ type: 'welcome' });
    const untrusted = await roomHello(signal, { headers: { authorization: `Bearer ${enrollment.token}` } }, 'room-tls');
    expect(tlsErrorCode(untrusted)).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    await trust.close();
  });

  it('API, console and the CA download on the same https server; the CA is public (PEM, DER, fingerprint)', async () => {
    const trust = createHubTrust({ caPem: tls.caPem });
    const ca = await trust.fetch(`https://localhost:${port}/api/v1/tls/ca`);
    expect(ca.status).toBe(200);
    expect(ca.headers.get('content-type')).toBe('application/x-pem-file');
    expect(await ca.text()).toBe(tls.caPem);
    expect(ca.headers.get('x-ca-sha256')).toBe(new X509Certificate(tls.caPem!).fingerprint256);
    const der = await trust.fetch(`${base}/api/v1/tls/ca?format=der`);
    expect(Buffer.from(await der.arrayBuffer()).equals(new X509Certificate(tls.caPem!).raw)).toBe(true);
    const hearings = await trust.fetch(`${base}/api/v1/hearings`, { headers: { authorization: `Bearer ${OFFICER}` } });
    expect(hearings.status).toBe(200);
    const refused = await trust.fetch(`${base}/api/v1/hearings`);
    expect(refused.status).toBe(401); // TLS is no credential
    for (const r of [ca, hearings, refused]) expect(r.headers.get('strict-transport-security')).toBe(HSTS); // never back to http
    expect((await trust.fetch(`${base}/console/`)).status).toBe(200);
    await trust.close();
  });

  it('a hub on plain http (loopback) has no CA to hand out and sends no HSTS', async () => {
    const { app } = await buildHub({ ...plainDeps(), stateDir: join(root, 'plain') });
    const res = await app.inject({ method: 'GET', url: '/api/v1/tls/ca' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'NO_HUB_CA' });
    expect(res.headers['strict-transport-security']).toBeUndefined();
    await app.close();
  });

  it('refused without the CA, with another CA, and over plain http', async () => {
    const system = createHubTrust();
    expect(tlsErrorCode(await system.fetch(`${base}/api/v1/tls/ca`).catch((e) => e))).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    const other = createHubTrust({ caPem: (await ensureInternalCa(join(root, 'other'))).caPem });
    expect(tlsErrorCode(await other.fetch(`${base}/api/v1/tls/ca`).catch((e) => e))).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    const plain = await fetch(`http://127.0.0.1:${port}/api/v1/tls/ca`).then(
      (r) => `answered ${r.status}`,
      (e: Error) => e,
    );
    expect(plain).toBeInstanceOf(Error); // nothing is served without TLS
    await Promise.all([system.close(), other.close()]);
  });

  it('the running hub swaps in its renewed certificate: new connections get it, still trusted', async () => {
    const trust = createHubTrust({ caPem: tls.caPem });
    const expiry = async () => {
      const text = await (await trust.fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${OFFICER}` } })).text();
      const line = (which: string) =>
        text.split('\n').find((l) => l.startsWith(`reception_hub_tls_expiry_timestamp_seconds{certificate="${which}"}`));
      return { server: Number(line('server')?.split(' ').at(-1)), ca: Number(line('ca')?.split(' ').at(-1)) };
    };
    const days = (t: number) => (t * 1000 - Date.now()) / 86_400_000;
    const before = await servedSerial();
    const old = await expiry();
    expect(days(old.server)).toBeLessThan(26); // the metric an alert watches
    expect(days(old.ca)).toBeGreaterThan(3600);
    expect(
      promtoolProblems(await (await trust.fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${OFFICER}` } })).text()),
    ).toEqual([]);
    await hub.tls!.check(); // what the twice-daily timer does: the certificate has 25 days left
    const after = await servedSerial();
    expect(after).not.toBe(before);
    expect((await trust.fetch(`${base}/api/v1/tls/ca`)).status).toBe(200);
    expect(days((await expiry()).server)).toBeGreaterThan(360);
    await trust.close();
  });
});
