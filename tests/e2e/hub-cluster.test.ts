import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../common/http/credentials.js';
import { spawnReady, type ReadyChild } from '../../common/process/spawn-ready.js';
import { freePort } from '../helpers/free-port.js';
import { startLinkedRoom } from '../helpers/hub-process.js';
import { startLbProxy, type LbProxy } from '../helpers/lb-proxy.js';
import { startPostgres, type PgCluster } from '../helpers/postgres.js';
import { CLI, json } from '../helpers/room-processes.js';
import { S3RVER_CREDENTIALS, startS3Server, type S3Server } from '../helpers/s3-server.js';
import { until } from '../helpers/until.js';

// Issue 14 item 4: two `reception hub` nodes on this box sharing one real PostgreSQL and one S3 server,
// behind a TCP round-robin proxy acting as the load balancer (one public URL). Three simulated rooms (sims,
// daemon, media worker recording, gateway) in two hearings placed on both nodes; the node holding the
// two-room hearing is kill -9'd mid-hearing; its rooms are back in the hearing on the other node with media
// flowing (the seconds are printed); every recording is archived and verified.

const TOKEN = 'cluster-e2e-officer-technician';
const auth = { authorization: `Bearer ${TOKEN}` };
type Room = Awaited<ReturnType<typeof startLinkedRoom>>;

describe('two hub nodes behind one URL, a node killed mid-hearing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hub-cluster-'));
  let pgc: PgCluster;
  let s3: S3Server;
  let lb: LbProxy;
  let db: pg.Client;
  const nodes: { id: string; port: number; stateDir: string; proc?: ReadyChild<{ url: string }> }[] = [];
  const rooms: Room[] = [];
  const hearings: Record<string, string> = {};
  let passed = 0;
  const api = <T = any>(path: string, init: { method?: string; body?: unknown } = {}) =>
    json<T>(`${lb.url}${path}`, {
      method: init.method ?? 'GET',
      headers: auth,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  const placements = async () =>
    Object.fromEntries((await db.query('SELECT hearing, node FROM cluster_placements')).rows.map((r) => [r.hearing, r.node])) as Record<
      string,
      string
    >;
  /** The room's gateway in `hearing` with media from every other room of it (at least `packets` each). */
  const inHearing = async (room: Room, hearing: string, others: string[], packets: number) => {
    const s = await room.gatewayState();
    if (s.state !== 'connected' || s.hearing?.id !== hearing) return false;
    return others.every((o) =>
      s.remotes.some(
        (r: { participant: { id: string }; packetsReceived: number }) => r.participant.id === o && r.packetsReceived >= packets,
      ),
    );
  };

  const startNode = (n: (typeof nodes)[number]) =>
    spawnReady<{ url: string }>(process.execPath, [CLI, 'hub', '--port', String(n.port), '--config', join(n.stateDir, 'hub.json')], {
      logFile: join(n.stateDir, 'hub.log'),
      timeoutMs: 60_000,
      env: { ...process.env, RECEPTION_HUB_STATE_DIR: undefined, RECEPTION_HUB_ALLOW_LOOPBACK_OFFICERS: undefined },
    });

  beforeAll(async () => {
    // each kept as soon as it is up: when the other fails to start, afterAll still removes it
    await Promise.all([startPostgres().then((p) => (pgc = p)), startS3Server('cluster-archive').then((s) => (s3 = s))]);
    const store = await pgc.createDatabase();
    const credentialsFile = join(dir, 's3.json');
    writeFileSync(credentialsFile, JSON.stringify(S3RVER_CREDENTIALS), { mode: 0o600 });
    for (const id of ['hub-a', 'hub-b']) {
      const port = await freePort();
      const stateDir = join(dir, id);
      mkdirSync(stateDir);
      nodes.push({ id, port, stateDir });
      const config = {
        stateDir,
        store,
        archive: { url: 's3://cluster-archive', s3: { endpoint: s3.endpoint, forcePathStyle: true, credentialsFile } },
        tokens: [{ name: 'Cán bộ kỹ thuật', sha256: sha256Hex(TOKEN), roles: ['officer', 'technician', 'monitor'] }],
        cluster: { enabled: true, nodeId: id, advertiseUrl: `http://127.0.0.1:${port}` },
      };
      writeFileSync(join(stateDir, 'hub.json'), JSON.stringify(config), { mode: 0o600 });
    }
    lb = await startLbProxy(nodes.map((n) => ({ host: '127.0.0.1', port: n.port })));
    nodes[0]!.proc = await startNode(nodes[0]!);
    // one hub key for every node (receipts, the rooms' trust at enrollment): copied, as a TLS key would be
    cpSync(join(nodes[0]!.stateDir, 'keys'), join(nodes[1]!.stateDir, 'keys'), { recursive: true });
    nodes[1]!.proc = await startNode(nodes[1]!);
    db = new pg.Client(store);
    await db.connect();
    await until('both nodes alive in the registry', 30_000, async () => (await db.query('SELECT id FROM cluster_nodes')).rowCount === 2);
    const hub = { url: lb.url, signalUrl: `${lb.url.replace('http', 'ws')}/api/v1/signal`, stateDir: dir };
    const code = async (n: number) => {
      const issued = await api<{ code: string }>('/api/v1/enrollment/codes', {
        method: 'POST',
        body: { room: n === 1 ? 'room-demo' : `room-${n}` },
      });
      expect(issued.status, JSON.stringify(issued.body)).toBe(201);
      return issued.body.code;
    };
    // the three rooms start together; a busy box has seen a daemon take 21.8 s to be ready (the helper waits
    // 20 s): such a room gets one more try, loudly
    const start = async (n: number) => startLinkedRoom(hub, n, { picture: false, enrollCode: await code(n) });
    const started = await Promise.allSettled(
      [1, 2, 3].map((n) =>
        start(n).catch((err: Error) => {
          console.warn(`room ${n} did not start (${err.message.split('\n')[0]}): once more`);
          return start(n);
        }),
      ),
    );
    for (const r of started) if (r.status === 'fulfilled') rooms.push(r.value); // stopped in afterAll, whatever failed
    for (const r of started) if (r.status === 'rejected') throw r.reason;
  }, 240_000);

  afterAll(async () => {
    await Promise.all(rooms.map((r) => r.stop().catch(() => {})));
    await Promise.all(nodes.map((n) => n.proc?.stop('SIGINT').catch(() => {})));
    await db?.end().catch(() => {});
    await lb?.close();
    await Promise.all([pgc?.remove(), s3?.remove()]);
    if (passed === 3) rmSync(dir, { recursive: true, force: true });
    else console.warn(`hub-cluster: the nodes' logs are kept in ${dir}`);
  });

  it('hearings are placed on both nodes; rooms reach them through the one URL and exchange media', async () => {
    await until('3 gateways connected', 90_000, async () =>
      (await Promise.all(rooms.map((r) => r.gatewayState()))).every((s) => s.state === 'connected'),
    );
    for (const [name, ids] of [
      ['two', ['room-demo', 'room-2']],
      ['one', ['room-3']],
    ] as const) {
      const created = await api<{ id: string }>('/api/v1/hearings', { method: 'POST', body: { title: `Phiên cụm ${name}`, rooms: ids } });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      hearings[name] = created.body.id;
    }
    const placed = await until('both hearings placed', 30_000, async () => {
      const p = await placements();
      return p[hearings.two!] && p[hearings.one!] && p;
    });
    expect(new Set(Object.values(placed)).size).toBe(2); // one hearing on each node
    // as an operator sees it, from whichever node answers (its view is at most one heartbeat old)
    await until('GET /api/v1/cluster: two live nodes, a hearing on each', 10_000, async () => {
      const view = await api<{ nodes: { id: string; alive: boolean; hearings: number }[] }>('/api/v1/cluster');
      return JSON.stringify(view.body.nodes.map((n) => [n.id, n.alive, n.hearings])) === '[["hub-a",true,1],["hub-b",true,1]]';
    });
    await until(
      'room-demo and room-2 see each other',
      120_000,
      async () => (await inHearing(rooms[0]!, hearings.two!, ['room-2'], 100)) && inHearing(rooms[1]!, hearings.two!, ['room-demo'], 100),
    );
    await until('room-3 in its hearing', 60_000, async () => (await rooms[2]!.gatewayState()).hearing?.id === hearings.one);
    await until('GET /api/v1/cluster: each room connected to the node holding its hearing', 10_000, async () => {
      const [view, p] = await Promise.all([api<{ nodes: { id: string; rooms: { id: string }[] }[] }>('/api/v1/cluster'), placements()]);
      const where = (room: string) => view.body.nodes.find((n) => n.rooms.some((r) => r.id === room))?.id;
      return where('room-demo') === p[hearings.two!] && where('room-2') === p[hearings.two!] && where('room-3') === p[hearings.one!];
    });
    const stats = await api<{ participants: { id: string; received: { video: { packets: number } } }[] }>(
      `/api/v1/hearings/${hearings.one}/stats`,
    );
    expect(stats.status).toBe(200); // answered by the holder, whichever node the proxy picked
    expect(lb.counts.every((c) => c > 0)).toBe(true); // the proxy sent connections to both nodes
    passed++;
  }, 240_000);

  it('the node holding the two-room hearing is killed -9: its rooms are back in the hearing on the other node', async () => {
    const holder = (await placements())[hearings.two!]!;
    const dead = nodes.find((n) => n.id === holder)!;
    const survivor = nodes.find((n) => n !== dead)!;
    const before = await Promise.all(rooms.slice(0, 2).map(async (r) => (await r.gatewayState()).counters.reconnects as number));
    const t0 = performance.now();
    dead.proc!.child.kill('SIGKILL');
    await until('the hearing placed on the survivor', 60_000, async () => (await placements())[hearings.two!] === survivor.id);
    const placedS = (performance.now() - t0) / 1000;
    await until('room-demo and room-2 reconnected and seeing each other again', 120_000, async () => {
      const states = await Promise.all(rooms.slice(0, 2).map((r) => r.gatewayState()));
      if (!states.every((s, i) => s.counters.reconnects > before[i]!)) return false;
      return (await inHearing(rooms[0]!, hearings.two!, ['room-2'], 50)) && inHearing(rooms[1]!, hearings.two!, ['room-demo'], 50);
    });
    const backS = (performance.now() - t0) / 1000;
    const stats = await api<{ participants: { id: string }[] }>(`/api/v1/hearings/${hearings.two}/stats`);
    expect(stats.status).toBe(200);
    passed++;
    console.log(`kill -9 → hearing placed on ${survivor.id}: ${placedS.toFixed(1)} s; → both rooms back with media: ${backS.toFixed(1)} s`);
  }, 180_000);

  it('every recording is archived and verified (uploads cut by the kill resumed on the survivor)', async () => {
    for (const h of Object.values(hearings))
      expect((await api(`/api/v1/hearings/${h}/end`, { method: 'POST', body: {} })).status).toBe(200);
    const recordings = [`${hearings.two}.room-demo`, `${hearings.two}.room-2`, `${hearings.one}.room-3`];
    for (const room of rooms) {
      await until(
        `${room.id}: recording stopped`,
        60_000,
        async () => (await json(`${room.api}/api/v1/recording`)).body.state === 'idle',
        500,
      );
      await until(
        `${room.id}: backlog drained`,
        120_000,
        async () => (await json(`${room.api}/api/v1/health`)).body.uploader?.backlogFiles === 0,
        500,
      );
    }
    for (const rec of recordings)
      await until(`${rec} verified in the archive`, 60_000, async () => {
        const r = await api<{ state: string }>(`/api/v1/archive/hearings/${encodeURIComponent(rec)}`);
        return r.status === 200 && r.body.state === 'verified';
      });
    passed++;
  }, 240_000);
});
