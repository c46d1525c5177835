import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../tests/helpers/free-port.js';
import { until } from '../../tests/helpers/until.js';
import { PEOPLE_ROLES } from '../auth/identity.js';
import { sha256Hex } from '../config/auth.js';
import { createHub } from '../create-hub.js';
import { enrollRooms, OFFICER_TOKEN, testHubDeps } from '../test/hub-fixture.js';
import { WeriftParticipant } from '../test/werift-participant.js';
import type { ClusterStore } from './cluster-store.js';
import { FORWARDED_BY } from './forward.js';
import { createMemoryClusterStore } from './memory-cluster-store.js';

// Two hub nodes in this process sharing one in-memory cluster store: requests about a hearing held by the
// other node are forwarded to it — the officer's signaling socket (?hearing=), WHIP/WHEP, a hearing's stats —
// and a forwarded request is never forwarded again. (Hearings shared through PostgreSQL: tests/e2e/hub-cluster.)

const auth = { authorization: `Bearer ${OFFICER_TOKEN}` };
const stops: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const s of stops.splice(0).reverse()) await s().catch(() => {});
});

async function node(id: string, store: ClusterStore) {
  const port = await freePort();
  const hub = createHub(
    testHubDeps({
      port,
      tokens: [{ name: 'Cán bộ thử', sha256: sha256Hex(OFFICER_TOKEN), roles: [...PEOPLE_ROLES] }],
      cluster: { enabled: true, nodeId: id, advertiseUrl: `http://127.0.0.1:${port}`, heartbeatMs: 250, deadAfterMs: 10_000 },
      clusterStore: store,
    }),
  );
  const built = await hub.start();
  stops.push(() => hub.stop());
  return { hub, built, url: hub.address() };
}

/** A GET from a chosen local address (127.0.0.2 is loopback too on Linux, but not node-b's advertised one). */
const statusFrom = (localAddress: string, url: string, headers: Record<string, string>) =>
  new Promise<number>((resolve, reject) => {
    const req = httpRequest(url, { headers, localAddress, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject).end();
  });

describe('cluster routing (two nodes, one process)', () => {
  it('an officer’s socket, stats, the hearing read, a WHEP ticket and WHEP for a hearing held by the other node are forwarded there', async () => {
    const store = createMemoryClusterStore({ deadAfterMs: 10_000 }); // wide: a node starting in this process holds up the other's beats;
    const b = await node('node-b', store); // alone: the hearing is placed on it
    await enrollRooms(b.built.enrollment, 1);
    const h = b.built.store.create('Phiên thử cụm', ['room-demo']);
    await until(
      'hearing placed on node-b',
      10_000,
      async () => (await store.placements()).find((p) => p.hearing === h.id)?.node === 'node-b',
    );
    const a = await node('node-a', store);

    // the operator's view, from either node: both alive, the hearing on node-b
    const view = (await (await fetch(`${a.url}/api/v1/cluster`, { headers: auth })).json()) as {
      node: string;
      nodes: { id: string; alive: boolean; hearings: number }[];
      placements: { hearing: string; node: string }[];
    };
    expect(view.node).toBe('node-a');
    expect(view.nodes.map((n) => [n.id, n.alive, n.hearings]).sort()).toEqual([
      ['node-a', true, 0],
      ['node-b', true, 1],
    ]);
    expect(view.placements).toEqual([{ hearing: h.id, node: 'node-b', epoch: 1 }]);
    expect((await fetch(`${a.url}/api/v1/cluster`)).status).toBe(401);

    // stats: node-a does not even know the hearing (its own file store); node-b answers through it
    const stats = await fetch(`${a.url}/api/v1/hearings/${h.id}/stats`, { headers: auth });
    expect(stats.status).toBe(200);
    // the header from node-b's own address: already forwarded once, answered here, never sent on again
    expect(await statusFrom('127.0.0.1', `${a.url}/api/v1/hearings/${h.id}/stats`, { ...auth, [FORWARDED_BY]: 'node-b' })).toBe(404);
    // from anyone else (an unknown node, or node-b's name from another address) it is ignored: routed as usual
    expect(await statusFrom('127.0.0.1', `${a.url}/api/v1/hearings/${h.id}/stats`, { ...auth, [FORWARDED_BY]: 'node-x' })).toBe(200);
    expect(await statusFrom('127.0.0.2', `${a.url}/api/v1/hearings/${h.id}/stats`, { ...auth, [FORWARDED_BY]: 'node-b' })).toBe(200);

    // the officer's signaling socket, through node-a, ends up in node-b's conference
    const officer = new WeriftParticipant({
      url: `${a.url.replace('http', 'ws')}/api/v1/signal?hearing=${h.id}`,
      kind: 'officer',
      id: 'Cán bộ',
      token: OFFICER_TOKEN,
      hearing: h.id,
    });
    stops.push(async () => officer.ws?.close());
    const welcome = await officer.connect();
    expect(welcome.hearing?.id).toBe(h.id);
    const read = await fetch(`${a.url}/api/v1/hearings/${h.id}`, { headers: auth }); // its participants: the holder's
    expect(((await read.json()) as { participants: { kind: string }[] }).participants.map((p) => p.kind)).toEqual(['officer']);
    expect(b.built.conference.members().map((m) => m.info.kind)).toEqual(['officer']);
    expect(a.built.conference.members()).toEqual([]);

    // WHEP of the hearing's room: answered by node-b (an SDP answer with its candidates)
    await officer.publish(); // something to watch
    const offerPc = new (await import('werift')).RTCPeerConnection();
    offerPc.addTransceiver('video', { direction: 'recvonly' });
    await offerPc.setLocalDescription(await offerPc.createOffer());
    // a WHEP ticket asked of node-a is issued by the holder (tickets are signed with a key of each process)
    const ticket = await fetch(`${a.url}/api/v1/hearings/${h.id}/tickets`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'view', ttlSeconds: 60 }),
    });
    expect(ticket.status).toBe(201);
    const { ticket: viewTicket } = (await ticket.json()) as { ticket: string };
    const whep = await fetch(`${a.url}/whep/hearings/${h.id}/participants/${officer.participantId}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${viewTicket}`, 'content-type': 'application/sdp' },
      body: offerPc.localDescription!.sdp,
    });
    expect(whep.status).toBe(201);
    expect(whep.headers.get('location')).toMatch(new RegExp(`^/whep/hearings/${h.id}/resources/whep-`));
    expect(await whep.text()).toMatch(/^v=0/);
    const del = await fetch(`${a.url}${whep.headers.get('location')}`, { method: 'DELETE', headers: auth });
    expect(del.status).toBe(200); // the resource lives on node-b; the DELETE found it through node-a
    await offerPc.close();

    // node-b goes away: its sign-off frees the placement, node-a cuts the tunnel, the officer's socket closes
    const closed = new Promise((r) => officer.ws.once('close', r));
    await b.hub.stop();
    await closed;
    expect((await store.nodes()).map((n) => n.id)).toEqual(['node-a']);
  }, 60_000);

  it('a holder that refuses the forwarded connection is taken as dead at once: its hearing is placed again', async () => {
    const store = createMemoryClusterStore({ deadAfterMs: 10_000 });
    const a = await node('node-a', store);
    const h = a.built.store.create('Phiên nút chết', []);
    // node-c beats (alive by the store) but nothing listens at its URL any more: a killed process
    const gone = { id: 'node-c', url: `http://127.0.0.1:${await freePort()}`, legs: 0, cpu: 0, rooms: [] };
    await store.heartbeat(gone);
    const beats = setInterval(() => void store.heartbeat(gone), 200);
    stops.push(async () => clearInterval(beats));
    const holder = (await store.placements()).find((p) => p.hearing === h.id)?.node;
    if (holder) expect(await store.claim(h.id, holder, 'node-c')).toBe(true);
    else expect(await store.claim(h.id, null, 'node-c')).toBe(true);
    await until('node-a sees node-c holding it', 10_000, async () => {
      const v = (await (await fetch(`${a.url}/api/v1/cluster`, { headers: auth })).json()) as { placements: { node: string }[] };
      return v.placements[0]?.node === 'node-c';
    });
    const refused = await fetch(`${a.url}/api/v1/hearings/${h.id}/stats`, { headers: auth });
    expect(refused.status).toBe(502);
    expect(((await refused.json()) as { message: string }).message).toMatch(/^nút giữ phiên không trả lời/);
    await until('the hearing placed on node-a', 10_000, async () => (await store.placements())[0]?.node === 'node-a');
    expect((await store.placements())[0]).toMatchObject({ hearing: h.id, epoch: holder ? 3 : 2 });
    expect((await fetch(`${a.url}/api/v1/hearings/${h.id}/stats`, { headers: auth })).status).toBe(200); // held here now
  }, 60_000);
});
