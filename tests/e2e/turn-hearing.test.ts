// A whole hearing with UDP blocked between room and hub: the room reaches the hub only over TCP — signaling through
// the chaos relay's TCP port, media through a real coturn (Debian's turnserver, started here) over TURN/TCP. The
// chaos topology (chaos/topology.ts: room ⇄ relay ⇄ hub namespaces, no forwarding) with a relay that carries no UDP
// and a coturn in the relay namespace without a UDP listener; the hub issues TURN/UDP first, then TURN/TCP, so the
// gateway's walk through the urls is on the way. Measured at the hub's WHEP viewer (chaos/viewer): frames a decoder
// could show per second of the room's 720p, audio; the other direction: a WHIP participant beside the hub that the
// room receives and its kiosk page (Chromium in the room's namespace) plays with sound; the recording verified at the
// room and in the archive (chaos/run.ts endAndVerify). Needs root (namespaces), the build (dist/) and coturn;
// skipped otherwise, said so.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { type Hearing, startHearing, HUB_PORT } from '../../chaos/hearing.js';
import { windowOf } from '../../chaos/measure.js';
import { spawnInNs } from '../../chaos/proc.js';
import { endAndVerify } from '../../chaos/run.js';
import { createTopology, RELAY_ADDR, RELAY_UP_ADDR, removeTopology, topologyNames } from '../../chaos/topology.js';
import type { GatewayStatus } from '../../common/contracts/gateway-state.js';
import { startCoturn, turnserverInstalled, type Coturn } from '../helpers/coturn.js';
import { until } from '../helpers/until.js';
import { issueTicket } from '../../common/local-bridge/bridge-ticket.js';
import { loadLocalSecret } from '../../common/local-bridge/local-secret.js';
import { audioLevel, videoPlaying } from '../helpers/media-checks.js';
import { launchBrowserInNs } from '../helpers/netns-browser.js';

const root = process.getuid?.() === 0 && spawnSync('ip', ['netns', 'list']).status === 0;
const built = existsSync('dist/provisioning/reception.js');
const why = [!root && 'not root (network namespaces)', !built && 'no dist/ build', !turnserverInstalled() && 'coturn not installed'].filter(
  Boolean,
);
if (why.length) console.log(`turn-hearing: skipped — ${why.join(', ')}`);

// The hub's ICE without the chaos relay's address as an extra host candidate: no UDP goes through the relay here, and
// a candidate the hub does not own sends from another address (the far end learns a peer-reflexive one, nominations
// split: common/webrtc/candidate-pairs.ts) — seen as a room subscription that never got a packet.
const HUB_ICE = { hostAddresses: ['127.0.0.1'], portMin: 41000, portMax: 41099 };

describe.skipIf(why.length > 0)('a hearing through TURN with UDP blocked (real coturn, namespaces)', () => {
  it(
    'media both ways, 720p at the viewer, recording verified at the room and the archive',
    async () => {
      const t = topologyNames(process.pid, 't');
      const dir = mkdtempSync(join(tmpdir(), 'turn-hearing-'));
      const log = (s: string) => console.log(`turn-hearing: ${s}`);
      const secretFile = join(dir, 'turn-secret');
      writeFileSync(secretFile, `${Buffer.from(crypto.getRandomValues(new Uint8Array(24))).toString('hex')}\n`, { mode: 0o600 });
      let coturn: Coturn | undefined;
      let h: Hearing | undefined;
      let passed = false;
      const stops: (() => Promise<unknown>)[] = [];
      try {
        createTopology(t);
        coturn = await startCoturn({
          ns: t.ns.relay,
          dir,
          secret: readFileSync(secretFile, 'utf8').trim(),
          listenIp: RELAY_ADDR, // the room's side
          relayIp: RELAY_UP_ADDR, // the hub's side
          port: 3478,
          relayPorts: [49152, 49251],
          noUdp: true, // the firewall: no UDP from the room, to the TURN server either
        });
        const turn = {
          urls: [`turn:${RELAY_ADDR}:3478?transport=udp`, `turn:${RELAY_ADDR}:3478?transport=tcp`],
          secretFile,
          ttlSeconds: 600,
        };
        const t0 = performance.now();
        h = await startHearing(t, dir, { seed: 16, setup: { relayUdp: false, hub: { turn, ice: HUB_ICE } }, log });
        const hearing = h;

        // the room's 720p at the viewer: wait for a steady picture, then measure 20 s
        const firstMedia = await until(
          'frames at the viewer',
          240_000,
          () => {
            const s = hearing.samples.slice(-2);
            return s.length === 2 && s.every((x) => x.frames >= 10) && performance.now();
          },
          250,
        );
        log(`media at the viewer ${((firstMedia - t0) / 1000).toFixed(1)} s after start`);
        const state = async () =>
          ((await (await hearing.roomApi('/api/v1/gateway')).json()) as { detail: GatewayStatus | null }).detail ?? {
            remotes: [],
            path: undefined,
          };
        const path = (await until('the gateway says its path', 30_000, async () => (await state()).path, 500))!;

        // the other direction: a participant beside the hub publishes; the room receives it through TURN too
        const pub = await spawnInNs<{ pid: number }>({
          ns: t.ns.hub,
          args: [
            '--import',
            'tsx',
            resolve('tests/helpers/netns-whip-publisher.ts'),
            JSON.stringify({ hubUrl: `https://127.0.0.1:${HUB_PORT}`, hearing: hearing.hearingId, name: 'Cán bộ (WHIP)' }),
          ],
          logFile: join(dir, 'whip-publisher.log'),
        });
        stops.push(() => pub.stop('SIGTERM', 5000));
        createInterface({ input: pub.child.stdout! }).on('line', () => undefined);
        let lastRemotes = '';
        const remoteBefore = await until(
          () => `the room receives the WHIP participant (gateway remotes ${lastRemotes})`,
          60_000,
          async () => {
            const remotes = (await state()).remotes;
            lastRemotes = JSON.stringify(
              remotes.map((x) => ({ id: x.participant.id, packets: x.packetsReceived, connection: x.connection })),
            );
            const r = remotes.find((x) => x.participant.kind === 'whip');
            return r && r.packetsReceived > 50 && r;
          },
          500,
        );
        // the room's kiosk (its gateway's bridge page, Chromium in the room's namespace) plays the WHIP participant with sound
        const browser = await launchBrowserInNs(t.ns.room, dir);
        stops.push(() => browser.close());
        const kiosk = await browser.newPage();
        const ticket = issueTicket(await loadLocalSecret(hearing.paths.roomState)).ticket;
        await kiosk.goto(`http://127.0.0.1:8081/kiosk/test#ticket=${ticket}`, { timeout: 60_000, waitUntil: 'domcontentloaded' });
        const tileOf = `video[data-participant="${remoteBefore.participant.id}"]`;
        await videoPlaying(kiosk, tileOf, 90_000);
        // its sound may start after the picture (the bridge forwards what the subscription has): heard within 30 s
        let kioskAudio = 0;
        await until(
          () => `sound on the kiosk (RMS ${kioskAudio.toFixed(3)})`,
          30_000,
          async () => (kioskAudio = await audioLevel(kiosk, tileOf)) > 0.01,
          500,
        );
        await browser.close();
        const m0 = performance.now();
        await until('20 s of measurement', 40_000, () => performance.now() - m0 > 20_000, 500);
        const w = windowOf(hearing.samples, m0, performance.now());
        // (the daemon's view of the gateway is null for a moment when a poll times out on a loaded box: asked again)
        const remoteAfter = await until(
          'the WHIP participant at the room',
          20_000,
          async () => (await state()).remotes.find((x) => x.participant.kind === 'whip'),
          500,
        );
        const remoteRate = (remoteAfter.packetsReceived - remoteBefore.packetsReceived) / ((performance.now() - m0) / 1000);
        const stats = (await (await hearing.hubApi(`/api/v1/hearings/${hearing.hearingId}/stats`)).json()) as {
          participants: { id: string; path?: string }[];
        };
        const hubPath = stats.participants.find((p) => p.id === hearing.roomId)?.path;
        // the room's fleet report carries its path (the console shows it beside the hub's reading)
        const reported = await until(
          'the room reports its path to the hub',
          60_000,
          async () => {
            const rooms = (await (await hearing.hubApi('/api/v1/rooms')).json()) as {
              id: string;
              health: { gateway: { path?: string } | null } | null;
            }[];
            return rooms.find((r) => r.id === hearing.roomId)?.health?.gateway?.path;
          },
          1000,
        );
        const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
        log(
          `viewer ${w.fps} fps (median of ${w.seconds} s, ${w.frozenS} s frozen), audio gap ≤ ${w.maxAudioGapMs} ms; room path ${path} (fleet report: ${reported}), hub sees ${hubPath}; ` +
            `room receives the WHIP participant at ${remoteRate.toFixed(0)} pkt/s, its kiosk plays it (audio RMS ${kioskAudio.toFixed(3)}); load ${load}`,
        );
        const allocations = coturn.log().match(/ALLOCATE processed, success/g)?.length ?? 0;
        log(`coturn: ${allocations} allocations`);

        expect(path).toBe('turn-tcp');
        expect(reported).toBe('turn-tcp');
        expect(hubPath).toBe('turn'); // relayed; werift does not mark TURN's transport in its candidate (hub/turn/media-path.ts)
        expect(allocations).toBeGreaterThan(0);
        // the issue's target is ≥ 25 fps at 720p (figure printed above); the bound leaves room for a loaded CI box
        expect(w.fps).toBeGreaterThanOrEqual(15);
        expect(w.maxAudioGapMs).toBeLessThan(5000); // audio does not stop (2.5 s seen at a load of 36: scheduling, not the path)
        expect(remoteRate).toBeGreaterThan(10);
        expect(kioskAudio).toBeGreaterThan(0.01);

        for (const s of stops.splice(0)) await s();
        const verdicts = await endAndVerify(hearing, log);
        expect(verdicts.length, 'room and archive copies').toBe(2);
        for (const v of verdicts) {
          expect(v.project, v.dir).toMatchObject({ ok: true });
          expect(v.independent.problems, v.dir).toEqual([]);
          expect(v.closed, v.dir).toBe(true);
        }
        passed = true;
      } finally {
        for (const s of stops) await s().catch(() => undefined);
        await h?.stop();
        await coturn?.stop();
        removeTopology(t);
        if (passed)
          rmSync(dir, { recursive: true, force: true }); // a failed run keeps its logs and recordings
        else log(`logs and recordings kept in ${dir}`);
      }
    },
    15 * 60_000,
  );

  // TURN/TLS only (a firewall that lets out nothing but TLS): coturn's UDP and TCP listeners off, its certificate issued by
  // the hub's internal CA (the room trusts it from its enrollment); the hub issues UDP, TCP, then TLS. Media one way
  // and the path only: the rest of the hearing is the TURN/TCP case's.
  it(
    'TURN/TLS only: the room walks UDP → TCP → TLS, its 720p reaches the viewer',
    async () => {
      const t = topologyNames(process.pid, 'u');
      const dir = mkdtempSync(join(tmpdir(), 'turn-hearing-tls-'));
      const log = (s: string) => console.log(`turn-hearing (TLS): ${s}`);
      const secretFile = join(dir, 'turn-secret');
      writeFileSync(secretFile, `${Buffer.from(crypto.getRandomValues(new Uint8Array(24))).toString('hex')}\n`, { mode: 0o600 });
      let coturn: Coturn | undefined;
      let h: Hearing | undefined;
      let passed = false;
      try {
        createTopology(t);
        const urls = [
          `turn:${RELAY_ADDR}:3478?transport=udp`,
          `turn:${RELAY_ADDR}:3478?transport=tcp`,
          `turns:${RELAY_ADDR}:5349?transport=tcp`,
        ];
        const t0 = performance.now();
        h = await startHearing(t, dir, {
          seed: 17,
          setup: { relayUdp: false, hub: { turn: { urls, secretFile, ttlSeconds: 600 }, ice: HUB_ICE } },
          log,
        });
        const hearing = h;
        // coturn's certificate from the hub's CA (made when the hub started), for the address the room dials
        const ca = join(hearing.paths.hubState, 'tls');
        const ssl = (...a: string[]) => execFileSync('openssl', a, { stdio: 'ignore' });
        ssl(
          'req',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:prime256v1',
          '-nodes',
          '-keyout',
          join(dir, 'turn.key'),
          '-out',
          join(dir, 'turn.csr'),
          '-subj',
          '/CN=turn',
        );
        writeFileSync(join(dir, 'san.ext'), `subjectAltName=IP:${RELAY_ADDR}\n`);
        ssl(
          'x509',
          '-req',
          '-in',
          join(dir, 'turn.csr'),
          '-CA',
          join(ca, 'ca.pem'),
          '-CAkey',
          join(ca, 'ca.key'),
          '-CAcreateserial',
          '-days',
          '1',
          '-extfile',
          join(dir, 'san.ext'),
          '-out',
          join(dir, 'turn.pem'),
        );
        coturn = await startCoturn({
          ns: t.ns.relay,
          dir,
          secret: readFileSync(secretFile, 'utf8').trim(),
          listenIp: RELAY_ADDR,
          relayIp: RELAY_UP_ADDR,
          port: 3478,
          tlsPort: 5349,
          certFile: join(dir, 'turn.pem'),
          keyFile: join(dir, 'turn.key'),
          relayPorts: [49252, 49351],
          noUdp: true,
          noTcp: true,
        });
        await until(
          'frames at the viewer',
          240_000,
          () => {
            const s = hearing.samples.slice(-2);
            return s.length === 2 && s.every((x) => x.frames >= 10);
          },
          250,
        );
        log(`media at the viewer ${((performance.now() - t0) / 1000).toFixed(1)} s after start`);
        const m0 = performance.now();
        await until('10 s of measurement', 30_000, () => performance.now() - m0 > 10_000, 500);
        const w = windowOf(hearing.samples, m0, performance.now());
        const gw = async () => ((await (await hearing.roomApi('/api/v1/gateway')).json()) as { detail: GatewayStatus | null }).detail;
        const path = await until('the gateway says its path', 30_000, async () => (await gw())?.path, 500);
        const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
        log(`viewer ${w.fps} fps (median of ${w.seconds} s), audio gap ≤ ${w.maxAudioGapMs} ms; room path ${path}; load ${load}`);
        expect(path).toBe('turn-tls');
        expect(coturn.log()).toMatch(/ALLOCATE processed, success/);
        expect(w.fps).toBeGreaterThanOrEqual(15);
        passed = true;
      } finally {
        await h?.stop();
        await coturn?.stop();
        removeTopology(t);
        if (passed)
          rmSync(dir, { recursive: true, force: true }); // a failed run keeps its logs and recordings
        else log(`logs and recordings kept in ${dir}`);
      }
    },
    10 * 60_000,
  );
});
