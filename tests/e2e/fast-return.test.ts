import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnReady, type ReadyChild } from '../../common/process/spawn-ready.js';
import { startGstSource } from '../../gateway/test/gst-source.js';
import { enrollRoomAt } from '../../hub/test/enroll-room.js';
import { WeriftParticipant } from '../../hub/test/werift-participant.js';
import { freePort } from '../helpers/free-port.js';
import { CLI, json } from '../helpers/room-processes.js';
import { until } from '../helpers/until.js';

// Issue 12 item 3, "fast return", with real processes. The room's gateway (and its RTP source) runs in a
// network namespace of its own, joined to this one by a veth pair; the hub listens on loopback here and a
// TCP relay of this test carries the signaling from the veth address to it (ICE goes straight over the
// veth). A blackout drops every packet both ways on the veth (tbf with a bucket smaller than any packet:
// this kernel has no netem), the links stay up, nothing tells either side. An officer at the hub counts
// the room's packets. Measured: media back after the link returns, after kill -9 + restart of the
// gateway, after kill -9 + restart of the hub. Figures are printed; the asserts have wide slack (a loaded
// 2-core CI box), the targets (3 s, 3 s, 5 s) are in the issue. Root only (namespaces, tc).

const isRoot = process.getuid?.() === 0;
const pid = process.pid;
const NS = `chz-s-${pid}-room`;
const VETH = { host: `cs${pid}a`, room: `cs${pid}b` };
const NET = `10.233.${pid % 250}`;
const HUB_IP = `${NET}.1`;
const ROOM_IP = `${NET}.2`;
const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
const inNs = (...cmd: string[]) => ['ip', 'netns', 'exec', NS, ...cmd];

function makeNamespace() {
  removeNamespace();
  ip('netns', 'add', NS);
  ip('-n', NS, 'link', 'set', 'lo', 'up');
  ip('link', 'add', VETH.host, 'type', 'veth', 'peer', 'name', VETH.room);
  ip('link', 'set', VETH.room, 'netns', NS);
  ip('addr', 'add', `${HUB_IP}/30`, 'dev', VETH.host);
  ip('link', 'set', VETH.host, 'up');
  ip('-n', NS, 'addr', 'add', `${ROOM_IP}/30`, 'dev', VETH.room);
  ip('-n', NS, 'link', 'set', VETH.room, 'up');
}
function removeNamespace() {
  spawnSync('ip', ['link', 'del', VETH.host], { stdio: 'ignore' });
  spawnSync('ip', ['netns', 'del', NS], { stdio: 'ignore' });
}
/** Blackout: a token bucket smaller than any packet on both ends drops everything, silently. */
function blackout(on: boolean) {
  for (const pre of [[], ['-n', NS]] as string[][]) {
    const dev = pre.length ? VETH.room : VETH.host;
    const args = on
      ? ['qdisc', 'replace', 'dev', dev, 'root', 'tbf', 'rate', '8bit', 'burst', '10', 'limit', '1']
      : ['qdisc', 'del', 'dev', dev, 'root'];
    execFileSync('tc', [...(pre.length ? ['-n', NS] : []), ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  }
}

/** The signaling path: HUB_IP:port → 127.0.0.1:port (a dead hub: the room's connection is closed at once). */
function tcpRelay(port: number): Promise<Server> {
  const conns = new Set<Socket>();
  const server = createServer((down) => {
    const up = createConnection({ host: '127.0.0.1', port });
    for (const s of [down, up]) {
      conns.add(s);
      s.on('error', () => undefined);
      s.on('close', () => {
        conns.delete(s);
        down.destroy();
        up.destroy();
      });
    }
    down.pipe(up);
    up.pipe(down);
  });
  server.on('close', () => conns.forEach((c) => c.destroy()));
  return new Promise((r) => server.listen(port, HUB_IP, () => r(server)));
}

describe.skipIf(!isRoot)('fast return after a blackout, a gateway kill and a hub kill (real processes, room in its own namespace)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fast-return-'));
  const hubConfig = join(dir, 'hub.json');
  const roomConfig = join(dir, 'room.json');
  const roomEnv = { ...process.env, RECEPTION_STATE_DIR: join(dir, 'room-state') };
  let port = 0;
  let hubUrl = '';
  let hub: ReadyChild<{ url: string }> | undefined;
  let gateway: ReadyChild<{ url: string }> | undefined;
  let relay: Server | undefined;
  let gst: ReturnType<typeof startGstSource> | undefined;
  let officer: WeriftParticipant | undefined;
  let hearingId = '';
  const figures: string[] = [];
  const fromRoom = () => officer?.received.get('room-demo') ?? 0;

  const startHub = (n: number) =>
    spawnReady<{ url: string }>(process.execPath, [CLI, 'hub', '--port', String(port), '--config', hubConfig], {
      logFile: join(dir, `hub-${n}.log`),
      timeoutMs: 40_000,
      env: { ...process.env, RECEPTION_HUB_STATE_DIR: undefined },
    });
  const startGateway = (n: number) =>
    spawnReady<{ url: string }>('ip', inNs(process.execPath, CLI, 'gateway', '--config', roomConfig).slice(1), {
      logFile: join(dir, `gateway-${n}.log`),
      env: roomEnv,
      timeoutMs: 40_000,
    });
  const joinOfficer = async () => {
    officer = new WeriftParticipant({
      url: `ws://127.0.0.1:${port}/api/v1/signal`,
      kind: 'officer',
      id: 'Cán bộ tiếp dân',
      hearing: hearingId,
    });
    await officer.connect();
  };
  /** ms from `t0` until the officer has `packets` more room packets than at `t0` (null: not within the budget). */
  const mediaBack = async (t0: number, packets = 30, budgetMs = 60_000) => {
    const base = fromRoom();
    let first: number | null = null;
    const ok = await until(
      'room media at the officer',
      budgetMs,
      () => {
        if (first === null && fromRoom() > base) first = performance.now() - t0;
        return fromRoom() >= base + packets;
      },
      20,
    ).then(
      () => true,
      () => false,
    );
    return { firstMs: first === null ? null : Math.round(first), flowingMs: ok ? Math.round(performance.now() - t0) : null };
  };

  beforeAll(async () => {
    makeNamespace();
    port = await freePort();
    hubUrl = `http://127.0.0.1:${port}`;
    const [video, audio, gwPort, deadDaemon] = [41_004, 41_006, 41_081, 41_080]; // inside the room's own namespace: all free
    writeFileSync(
      hubConfig,
      JSON.stringify({ stateDir: join(dir, 'hub-state'), allowLoopbackOfficers: true, ice: { hostAddresses: [HUB_IP] } }),
    );
    writeFileSync(
      roomConfig,
      JSON.stringify({
        room: { id: 'room-demo' },
        api: { port: deadDaemon }, // no daemon: the encoder sends a keyframe every second anyway
        media: { videoRtpPort: video, audioRtpPort: audio },
        gateway: { hubUrl: `ws://${HUB_IP}:${port}/api/v1/signal`, port: gwPort },
      }),
    );
    hub = await startHub(1);
    relay = await tcpRelay(port);
    await enrollRoomAt({
      hubUrl: `http://${HUB_IP}:${port}`,
      hubStateDir: join(dir, 'hub-state'),
      room: 'room-demo',
      boxStateDir: join(dir, 'room-state'),
    });
    gateway = await startGateway(1);
    gst = startGstSource({ video, audio }, { width: 320, height: 240, prefix: inNs().slice(0, 4) });
  }, 120_000);

  afterAll(async () => {
    console.log(`fast return figures:\n  ${figures.join('\n  ')}`);
    await officer?.close().catch(() => undefined);
    await gst?.stop();
    await gateway?.stop('SIGINT');
    await hub?.stop('SIGINT');
    await new Promise((r) => (relay ? relay.close(r) : r(undefined)));
    removeNamespace();
  });

  it('a hearing runs with the room across the veth', async () => {
    const created = await json(`${hubUrl}/api/v1/hearings`, {
      method: 'POST',
      body: JSON.stringify({ title: 'Phiên thử mất mạng', rooms: ['room-demo'] }),
    });
    expect(created.status).toBe(201);
    hearingId = created.body.id;
    await joinOfficer();
    const r = await mediaBack(performance.now(), 30, 30_000);
    expect(r.flowingMs).not.toBeNull();
  }, 60_000);

  for (const seconds of [30, 10, 5]) {
    it(`${seconds} s blackout: media back within a few seconds of the link returning`, async () => {
      await mediaBack(performance.now(), 30, 30_000);
      blackout(true);
      const cut = performance.now();
      await until('media stops at the officer', 10_000, async () => {
        const n = fromRoom();
        await new Promise((r) => setTimeout(r, 500));
        return fromRoom() === n;
      });
      await until(`${seconds} s of blackout`, seconds * 1000 + 10_000, () => performance.now() - cut >= seconds * 1000, 100);
      blackout(false);
      const r = await mediaBack(performance.now());
      figures.push(`blackout ${seconds} s → first room packet ${r.firstMs} ms, 30 packets ${r.flowingMs} ms after the link returned`);
      expect(r.flowingMs, 'media back after the blackout').not.toBeNull();
      expect(r.flowingMs!).toBeLessThan(15_000); // target 3 s (issue 12); the figure is the result
    }, 120_000);
  }

  it('gateway kill -9 and restart: the officer has the room again within a few seconds', async () => {
    await mediaBack(performance.now(), 30, 30_000);
    await gateway!.stop('SIGKILL');
    const t0 = performance.now();
    gateway = await startGateway(2);
    const readyMs = Math.round(performance.now() - t0);
    const r = await mediaBack(t0);
    figures.push(
      `gateway kill -9 → restart: ready ${readyMs} ms, first room packet ${r.firstMs} ms, 30 packets ${r.flowingMs} ms after the restart`,
    );
    expect(r.flowingMs).not.toBeNull();
    expect(r.flowingMs!).toBeLessThan(15_000);
  }, 120_000);

  it('hub kill -9 and restart: the room is back in the hearing within a few seconds', async () => {
    await mediaBack(performance.now(), 30, 30_000);
    const killed = new Promise((r) => hub!.child.once('exit', r));
    hub!.child.kill('SIGKILL');
    await killed;
    await officer!.close().catch(() => undefined);
    // Down for a while, as a supervisor's restart pause and a slow start are: the room's backoff grows meanwhile.
    const down = performance.now();
    await until('hub down 8 s', 20_000, () => performance.now() - down >= 8000, 200);
    const t0 = performance.now();
    hub = await startHub(2);
    const readyMs = Math.round(performance.now() - t0);
    await joinOfficer();
    const r = await mediaBack(t0);
    figures.push(
      `hub kill -9, down 8 s, restart: ready ${readyMs} ms, first room packet ${r.firstMs} ms, 30 packets ${r.flowingMs} ms after the restart`,
    );
    expect(r.flowingMs).not.toBeNull();
    expect(r.flowingMs! - readyMs).toBeLessThan(15_000);
  }, 120_000);
});
