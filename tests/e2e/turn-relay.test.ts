// The hub's TURN credentials against a real coturn (Debian's turnserver, started here on loopback with its own
// config): a werift peer limited to relay candidates (what a room behind a UDP-blocking firewall ends up using)
// connects to a plain werift peer through coturn over TURN/UDP, TURN/TCP and TURN/TLS (werift 0.25.2 supports all
// three, `turns:` with tls.connect's checks: here the test's own CA). An expired credential and one made with
// another secret get no relay at all (coturn answers 401). Skipped, said so, when turnserver is not installed.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RTCPeerConnection, type RTCPeerConnectionConfig } from 'werift';
import { createTurn } from '../../hub/turn/create-turn.js';
import { HubIce } from '../../gateway/peer/peer-config-ice.js';
import { startCoturn, turnserverInstalled, type Coturn } from '../helpers/coturn.js';
import { freePort } from '../helpers/free-port.js';
import { until } from '../helpers/until.js';

const installed = turnserverInstalled();
if (!installed) console.log('turn-relay: skipped — turnserver (coturn) is not installed (apt-get install coturn)');

describe.skipIf(!installed)('TURN credentials from the hub, through a real coturn', () => {
  const dir = mkdtempSync(join(tmpdir(), 'turn-relay-'));
  const secret = 'b7e1c0d2a9f84e3f9c6d5a4b3c2d1e0f';
  let coturn: Coturn;
  let port = 0;
  let tlsPort = 0;
  let ca = '';

  beforeAll(async () => {
    writeFileSync(join(dir, 'secret'), `${secret}\n`, { mode: 0o600 });
    execFileSync(
      'openssl',
      [
        ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'],
        ...['-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=turn.test'],
        ...['-addext', 'subjectAltName=IP:127.0.0.1'],
      ],
      { stdio: 'ignore' },
    );
    ca = readFileSync(join(dir, 'cert.pem'), 'utf8');
    port = await freePort();
    tlsPort = await freePort();
    const relayLow = 40_000 + Math.floor(Math.random() * 200) * 50;
    coturn = await startCoturn({
      dir,
      secret,
      listenIp: '127.0.0.1',
      relayIp: '127.0.0.1',
      port,
      tlsPort,
      certFile: join(dir, 'cert.pem'),
      keyFile: join(dir, 'key.pem'),
      relayPorts: [relayLow, relayLow + 49],
      allowLoopbackPeers: true, // the far peer is on loopback here
    });
  });
  afterAll(async () => {
    await coturn?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const turnUrls = () => [
    `turn:127.0.0.1:${port}?transport=udp`,
    `turn:127.0.0.1:${port}?transport=tcp`,
    `turns:127.0.0.1:${tlsPort}?transport=tcp`,
  ];
  const issue = (now = Date.now(), file = join(dir, 'secret')) =>
    createTurn({ turn: { urls: turnUrls(), secretFile: file, ttlSeconds: 600 }, stunUrls: [], now: () => now }).issue('room-test');

  /** A relay-only peer (ice from HubIce) offers; a host-only peer answers; both complete SDP (no trickle). */
  async function connect(ice: Pick<RTCPeerConnectionConfig, 'iceServers' | 'turnTlsOptions'>) {
    const a = new RTCPeerConnection({ ...ice, iceTransportPolicy: 'relay', iceUseIpv6: false });
    const b = new RTCPeerConnection({ iceServers: [], iceAdditionalHostAddresses: ['127.0.0.1'], iceUseIpv6: false });
    a.createDataChannel('probe');
    await a.setLocalDescription(await a.createOffer());
    await until('offer gathered', 20_000, () => a.iceGatheringState === 'complete');
    const offer = a.localDescription!.sdp;
    await b.setRemoteDescription({ type: 'offer', sdp: offer });
    await b.setLocalDescription(await b.createAnswer());
    await until('answer gathered', 20_000, () => b.iceGatheringState === 'complete');
    await a.setRemoteDescription({ type: 'answer', sdp: b.localDescription!.sdp });
    return { a, b, offer, close: () => Promise.all([a.close(), b.close()]).catch(() => {}) };
  }

  for (const transport of ['udp', 'tcp', 'tls'] as const) {
    it(`connects through coturn over TURN/${transport.toUpperCase()} with the hub's credential`, async () => {
      const hubIce = new HubIce([], [ca]);
      hubIce.set(issue().iceServers);
      // The publish connection's rotation: each one that never connected moves to the next url.
      for (let i = 0; hubIce.current()?.transport !== transport; i++) {
        hubIce.forPublish();
        expect(i).toBeLessThan(4);
      }
      const t0 = performance.now();
      const { a, offer, close } = await connect(hubIce.options());
      try {
        expect(offer).toMatch(/typ relay/);
        expect(offer).not.toMatch(/typ host/);
        await until(`connected over TURN/${transport} (state ${a.connectionState})`, 30_000, () => a.connectionState === 'connected');
        const local = a.iceTransports[0]!.getSelectedCandidatePair()!.local.candidate;
        expect(hubIce.pathOf(local)).toBe(`turn-${transport}`);
        console.log(`TURN/${transport}: connected in ${Math.round(performance.now() - t0)} ms`);
      } finally {
        await close();
      }
    }, 60_000);
  }

  it('refuses an expired credential and one made with another secret (no relay candidate; coturn 401)', async () => {
    const wrongFile = join(dir, 'wrong');
    writeFileSync(wrongFile, 'another-secret-0123456789abcdef\n', { mode: 0o600 });
    for (const servers of [issue(Date.now() - 3_600_000), issue(Date.now(), wrongFile)]) {
      const hubIce = new HubIce();
      hubIce.set(servers.iceServers);
      hubIce.forPublish();
      hubIce.forPublish(); // TURN/TCP: a refusal comes back on the stream at once
      const a = new RTCPeerConnection({ ...hubIce.options(), iceTransportPolicy: 'relay', iceUseIpv6: false });
      try {
        a.createDataChannel('probe');
        await a.setLocalDescription(await a.createOffer());
        await until('gathering ends', 30_000, () => a.iceGatheringState === 'complete');
        expect(a.localDescription!.sdp).not.toMatch(/typ relay/);
      } finally {
        await a.close().catch(() => {});
      }
    }
    expect(coturn.log()).toMatch(/401/);
  }, 90_000);
});
