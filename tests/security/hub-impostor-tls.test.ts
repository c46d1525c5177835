import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEnrollment, writeEnrollment } from '../../common/contracts/enrollment-file.js';
import { openHubLink } from '../../common/enrollment/hub-link.js';
import { silentLogger } from '../../common/log.js';
import { ensureInternalCa, ensureServerCertificate } from '../../common/tls/internal-ca.js';
import { startTlsTestServer } from '../../common/tls/test/tls-test-server.js';
import { tlsErrorCode } from '../../common/tls/tls-errors.js';
import { createGateway, type Gateway } from '../../gateway/create-gateway.js';
import { testLocalBridge } from '../../gateway/test/local-bridge.js';
import { createHub } from '../../hub/create-hub.js';
import { enrollRoomAt } from '../../hub/test/enroll-room.js';
import { resolveHubTls } from '../../hub/tls/hub-tls.js';
import { freePort } from '../helpers/free-port.js';
import { until } from '../helpers/until.js';

// Issue 10: "no TLS anywhere; the room trusts whoever answers first". An attacker who takes the hub's
// address (DNS, ARP, a rogue box on the hub's IP) with a certificate of its own CA — valid dates, the right
// name — must get nothing from an enrolled room: no signaling, no upload, not even its token. The real
// room gateway with its enrollment connects to the real TLS hub; pointed at the impostor it is refused at
// the handshake, and the impostor sees no request.

let root: string;
let hub: ReturnType<typeof createHub>;
let impostor: Awaited<ReturnType<typeof startTlsTestServer>>;
const gateways: Gateway[] = [];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'impostor-'));
  const stateDir = join(root, 'hub');
  const tls = await resolveHubTls({
    tls: { mode: 'internal-ca', certFile: '', keyFile: '', caFile: '', hostnames: [] },
    host: '127.0.0.1',
    publicUrl: '',
    stateDir,
  });
  hub = createHub({
    host: '127.0.0.1',
    port: 0,
    publicUrl: '',
    tokens: [],
    allowLoopbackOfficers: false,
    ice: { hostAddresses: ['127.0.0.1'], useIpv6: false, stunUrls: [], portMin: 0, portMax: 0 },
    stateDir,
    tls,
    logger: silentLogger(),
  });
  await hub.start();
  // The impostor: its own CA, a certificate for the same names, valid today.
  const evilCa = await ensureInternalCa(join(root, 'evil'), { commonName: 'Reception hub internal CA' });
  const evil = await ensureServerCertificate(join(root, 'evil'), evilCa, ['localhost', '127.0.0.1', '::1']);
  impostor = await startTlsTestServer(evil.keyPem, evil.certPem);
});
afterAll(async () => {
  for (const g of gateways) await g.stop();
  await hub?.stop();
  await impostor?.close();
  rmSync(root, { recursive: true, force: true });
});

async function startGateway(boxDir: string) {
  const link = await openHubLink(boxDir, { hubUrl: 'wss://unused.invalid/api/v1/signal' });
  const [video, audio, port] = await Promise.all([freePort(), freePort(), freePort()]);
  const gateway = createGateway({
    room: { id: 'room-tls', name: 'Phòng TLS' },
    gateway: { hubUrl: 'wss://unused.invalid/api/v1/signal', host: '127.0.0.1', port },
    media: { videoRtpPort: video, audioRtpPort: audio },
    keyframeUrl: 'http://127.0.0.1:1/none',
    hubLink: link,
    local: testLocalBridge().local,
    logger: silentLogger(),
    tuning: { backoffMaxMs: 200 },
  });
  gateways.push(gateway);
  await gateway.start();
  return { gateway, link };
}

describe('an enrolled room and a hub impostor', () => {
  it('the room signals to its real TLS hub with the enrolled CA and token', async () => {
    const box = join(root, 'box');
    await enrollRoomAt({ hubUrl: hub.address(), hubStateDir: join(root, 'hub'), room: 'room-tls', boxStateDir: box });
    const { gateway } = await startGateway(box);
    await until('room-tls joined the real hub', 15_000, () => hub.conference?.member('room-tls'));
    expect(gateway.status().hubUrl).toMatch(/^wss:\/\/127\.0\.0\.1:\d+\/api\/v1\/signal$/);
  });

  it('pointed at the impostor (same name, its own CA): refused at the handshake, the token never leaves the box', async () => {
    const real = (await readEnrollment(join(root, 'box')))!;
    const box = join(root, 'box-redirected');
    await writeEnrollment(box, { ...real, hubUrl: `https://localhost:${impostor.port}` }); // as if DNS now answered the impostor
    const { gateway, link } = await startGateway(box);
    const reason = await until('a certificate refusal', 15_000, () => gateway.status().reason?.match(/certificate/i)?.input);
    expect(reason).toMatch(/signaling error/);
    expect(gateway.status().state).not.toBe('connected');
    const upload = await link
      .fetch(`${link.baseUrl}/api/v1/archive/key`, { headers: { authorization: `Bearer ${link.token}` } })
      .catch((e) => e);
    expect(tlsErrorCode(upload)).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE'); // the uploader's and fleet reporter's fetch
    expect(impostor.seen).toEqual([]); // not one request, not one upgrade: the token stayed on the box
  });
});
