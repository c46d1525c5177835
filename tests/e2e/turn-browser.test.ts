// Browsers and the hub's TURN servers, with a real coturn on loopback (tests/helpers/coturn.ts) and real Chromium:
// - the officers' console builds its connections with the `ice-servers` the hub sends over signaling (TURN with
//   a short-lived credential), and Chromium allocates a relay on coturn with it; the console shows each
//   participant's path;
// - a WHIP page limited to relay candidates (what a browser behind a UDP-blocking firewall ends up using) takes
//   the TURN servers from the 201's `Link: rel="ice-server"` headers and publishes through coturn over TURN/TCP,
//   then TURN/UDP; the hub reads the path from its selected candidate pair (Chromium marks TURN's transport in
//   its relay candidate's priority: hub/turn/media-path.ts).
// Skipped, said so, without coturn.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roomId, startTestHub } from '../../hub/test/hub-fixture.js';
import { launchBrowser, type TestBrowser } from '../helpers/browser.js';
import { startCoturn, turnserverInstalled, type Coturn } from '../helpers/coturn.js';
import { freePort } from '../helpers/free-port.js';
import { until } from '../helpers/until.js';

const installed = turnserverInstalled();
if (!installed) console.log('turn-browser: skipped — turnserver (coturn) is not installed');

describe.skipIf(!installed)('browsers through the hub’s TURN (real coturn, Chromium)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'turn-browser-'));
  const secret = 'a4f1c9e27b3d4e5f8a9b0c1d2e3f4a5b';
  let coturn: Coturn;
  let hub: Awaited<ReturnType<typeof startTestHub>>;
  let browser: TestBrowser;
  let hearingId: string;
  let port = 0;

  beforeAll(async () => {
    writeFileSync(join(dir, 'secret'), `${secret}\n`, { mode: 0o600 });
    port = await freePort();
    const relayLow = 40_000 + Math.floor(Math.random() * 200) * 50;
    coturn = await startCoturn({
      dir,
      secret,
      listenIp: '127.0.0.1',
      relayIp: '127.0.0.1',
      port,
      relayPorts: [relayLow, relayLow + 49],
      allowLoopbackPeers: true,
    });
    const urls = [`turn:127.0.0.1:${port}?transport=udp`, `turn:127.0.0.1:${port}?transport=tcp`];
    hub = await startTestHub({ rooms: 1, turn: { urls, secretFile: join(dir, 'secret'), ttlSeconds: 600 } });
    hearingId = (
      await hub.app.inject({ method: 'POST', url: '/api/v1/hearings', payload: { title: 'Phiên qua TURN', rooms: [roomId(1)] } })
    ).json().id;
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    await coturn?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the console uses the hub’s ICE servers (Chromium allocates a relay on coturn) and shows the path', async () => {
    const page = await browser.newPage();
    // every RTCPeerConnection the console builds, and its configuration
    await page.addInitScript(() => {
      const Native = window.RTCPeerConnection;
      const w = window as unknown as { pcs: RTCPeerConnection[]; configs: RTCConfiguration[] };
      w.pcs = [];
      w.configs = [];
      window.RTCPeerConnection = class extends Native {
        constructor(config?: RTCConfiguration) {
          super(config);
          w.configs.push(config ?? {});
          w.pcs.push(this);
        }
      } as typeof RTCPeerConnection;
    });
    const before = coturn.log().match(/ALLOCATE processed, success/g)?.length ?? 0;
    await page.goto(`${hub.url}/console/?join=${hearingId}&name=C%C3%A1n%20b%E1%BB%99%20TURN`);
    await page.waitForFunction(() => (window as unknown as { pcs: RTCPeerConnection[] }).pcs.length > 0, undefined, { timeout: 30_000 });
    const config = await page.evaluate(() => (window as unknown as { configs: RTCConfiguration[] }).configs[0]);
    expect(config.iceServers?.[0]).toMatchObject({
      urls: expect.arrayContaining([`turn:127.0.0.1:${port}?transport=tcp`]),
      username: expect.stringMatching(/^\d+:officer-\d+$/),
    });
    // Chromium asked coturn for a relay with that credential (a relay candidate in its publish connection)
    const relayProtocol = await until(
      'a relay candidate in the console’s publish connection',
      30_000,
      () =>
        page.evaluate(async () => {
          const pc = (window as unknown as { pcs: RTCPeerConnection[] }).pcs[0]!;
          const stats = [...(await pc.getStats()).values()];
          return stats.find((s) => s.type === 'local-candidate' && s.candidateType === 'relay')?.relayProtocol as string | undefined;
        }),
      500,
    );
    expect(['udp', 'tcp']).toContain(relayProtocol);
    expect(coturn.log().match(/ALLOCATE processed, success/g)?.length ?? 0).toBeGreaterThan(before);
    // the participants line names each one's path (direct here: the hub is on this machine's loopback)
    await page.waitForFunction(
      () => /trực tiếp \(UDP\) \/ direct UDP/.test(document.querySelector('#participants')?.textContent ?? ''),
      undefined,
      {
        timeout: 30_000,
      },
    );
    await page.close();
  }, 90_000);

  for (const transport of ['tcp', 'udp'] as const) {
    it(`a relay-only WHIP page publishes through coturn over TURN/${transport.toUpperCase()}; the hub sees turn-${transport}`, async () => {
      const page = await browser.newPage();
      await page.goto(`${hub.url}/console/`); // same origin as the WHIP endpoint
      const result = await page.evaluate(
        async ({ hearing, transport }) => {
          const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 320, height: 240 }, audio: true });
          // 1. a first POST only to learn the ICE servers (RFC 9725 §4.6), then DELETE it
          const probe = new RTCPeerConnection();
          for (const t of stream.getTracks()) probe.addTransceiver(t, { direction: 'sendonly' });
          await probe.setLocalDescription(await probe.createOffer());
          const r0 = await fetch(`/whip/hearings/${hearing}`, {
            method: 'POST',
            headers: { 'content-type': 'application/sdp' },
            body: probe.localDescription!.sdp,
          });
          const links = (r0.headers.get('link') ?? '').split(/,\s*(?=<)/);
          await fetch(r0.headers.get('location')!, { method: 'DELETE' });
          probe.close();
          const servers = links
            .map((l) => /^<([^>]+)>; rel="ice-server"; username="([^"]+)"; credential="([^"]+)"/.exec(l))
            .filter((m): m is RegExpExecArray => !!m && m[1]!.endsWith(`transport=${transport}`))
            .map((m) => ({ urls: m[1]!, username: m[2]!, credential: m[3]! }));
          // 2. the real session: relay candidates only, non-trickle
          const pc = new RTCPeerConnection({ iceServers: servers, iceTransportPolicy: 'relay' });
          for (const t of stream.getTracks()) pc.addTransceiver(t, { direction: 'sendonly' });
          await pc.setLocalDescription(await pc.createOffer());
          await new Promise<void>((res) => {
            if (pc.iceGatheringState === 'complete') return res();
            pc.onicegatheringstatechange = () => pc.iceGatheringState === 'complete' && res();
          });
          const r = await fetch(`/whip/hearings/${hearing}?name=WHIP%20TURN`, {
            method: 'POST',
            headers: { 'content-type': 'application/sdp' },
            body: pc.localDescription!.sdp,
          });
          await pc.setRemoteDescription({ type: 'answer', sdp: await r.text() });
          await new Promise<void>((res, rej) => {
            const t = setTimeout(() => rej(new Error(`not connected: ${pc.connectionState}`)), 30_000);
            pc.onconnectionstatechange = () => pc.connectionState === 'connected' && (clearTimeout(t), res());
          });
          // the selected pair, once the transport names it (a moment after 'connected')
          let local: RTCStats & { candidateType?: string; relayProtocol?: string; priority?: number } = {} as never;
          for (let i = 0; i < 50 && !local.candidateType; i++) {
            const stats = [...(await pc.getStats()).values()];
            const pairId = stats.find((x) => x.type === 'transport')?.selectedCandidatePairId;
            const pair = stats.find((x) => x.id === pairId);
            local = stats.find((x) => x.id === pair?.localCandidateId) ?? local;
            if (!local.candidateType) await new Promise((res) => setTimeout(res, 200));
          }
          return {
            servers: servers.length,
            location: r.headers.get('location')!,
            localType: local?.candidateType,
            relayProtocol: local?.relayProtocol,
            priority: local?.priority ?? 0,
          };
        },
        { hearing: hearingId, transport },
      );
      console.log(
        `TURN/${transport}: Chromium's relay candidate priority ${result.priority} (type preference ${Math.floor(result.priority / 2 ** 24)})`,
      );
      expect(result).toMatchObject({ servers: 1, localType: 'relay', relayProtocol: transport });
      const whipId = result.location.split('/').pop();
      const stats = (await hub.app.inject({ url: `/api/v1/hearings/${hearingId}/stats` })).json() as {
        participants: { id: string; path: string }[];
      };
      expect(stats.participants.find((p) => p.id === whipId)?.path).toBe(`turn-${transport}`);
      await page.evaluate((loc) => fetch(loc, { method: 'DELETE' }), result.location);
      await page.close();
    }, 90_000);
  }
});
