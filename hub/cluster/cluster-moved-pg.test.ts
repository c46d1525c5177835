import { afterAll, describe, expect, it } from 'vitest';
import type { HubMessage } from '../../common/contracts/signaling/messages.js';
import { silentLogger } from '../../common/log.js';
import { freePort } from '../../tests/helpers/free-port.js';
import { useMigratedDatabase } from '../../tests/helpers/postgres.js';
import { until } from '../../tests/helpers/until.js';
import { PEOPLE_ROLES } from '../auth/identity.js';
import { sha256Hex } from '../config/auth.js';
import { createHub } from '../create-hub.js';
import { openHubStore } from '../store/hub-store.js';
import { enrollInProcess } from '../test/enroll-room.js';
import { OFFICER_TOKEN, testHubDeps } from '../test/hub-fixture.js';
import { WeriftParticipant } from '../test/werift-participant.js';

// Two hub nodes in this process on one real PostgreSQL (hearings, registry and placements shared): a room
// connected to node-a before its hearing exists is told MOVED when the hearing is placed on node-b (fewer
// legs), comes back through node-a's URL and is forwarded to node-b; node-b goes away → node-a takes the
// hearing over and the room, reconnecting to the same URL, is in it on node-a.

const auth = { authorization: `Bearer ${OFFICER_TOKEN}`, 'content-type': 'application/json' };
const db = useMigratedDatabase();
const stops: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const s of stops.splice(0).reverse()) await s().catch(() => {});
});

async function node(id: string) {
  const port = await freePort();
  const store = await openHubStore(db.url, silentLogger());
  const hub = createHub(
    testHubDeps({
      port,
      store,
      tokens: [{ name: 'Cán bộ thử', sha256: sha256Hex(OFFICER_TOKEN), roles: [...PEOPLE_ROLES] }],
      cluster: { enabled: true, nodeId: id, advertiseUrl: `http://127.0.0.1:${port}`, heartbeatMs: 250, deadAfterMs: 10_000 },
    }),
  );
  const built = await hub.start();
  stops.push(() => hub.stop().finally(() => store.close()));
  return { hub, built, url: hub.address(), ws: `ws://127.0.0.1:${port}/api/v1/signal`, stop: () => hub.stop() };
}

describe('a room follows its hearing between nodes (PostgreSQL)', () => {
  it('MOVED to the holder, then back to the survivor when the holder leaves', async () => {
    const a = await node('node-a');
    const b = await node('node-b');
    const { token } = await enrollInProcess(a.built.enrollment, 'room-demo', 'Phòng tiếp công dân 1');
    await until('node-b knows the room', 10_000, () => b.built.registry.roomByToken(token));

    const room = new WeriftParticipant({ url: a.ws, kind: 'room', id: 'room-demo', token, generate: true });
    stops.push(() => room.close());
    expect((await room.connect()).hearing).toBeNull(); // no hearing yet: stays where it landed
    await room.publish();
    await until('node-a beats with the room’s leg', 10_000, async () => {
      const view = (await (await fetch(`${b.url}/api/v1/cluster`, { headers: auth })).json()) as { nodes: { id: string; legs: number }[] };
      return (view.nodes.find((n) => n.id === 'node-a')?.legs ?? 0) >= 1;
    });

    const created = await fetch(`${b.url}/api/v1/hearings`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ title: 'Phiên chuyển nút', rooms: ['room-demo'] }),
    });
    expect(created.status).toBe(201);
    const hearing = ((await created.json()) as { id: string }).id;
    const moved = (await room.next('error', 15_000)) as Extract<HubMessage, { type: 'error' }>;
    expect(moved).toMatchObject({ code: 'MOVED', fatal: true });
    expect(moved.message).toMatch(/^phiên họp do nút khác phục vụ.*node node-b/);
    await room.drop();

    // the same URL again: node-a forwards the room (its token → its hearing → node-b)
    const back = new WeriftParticipant({ url: a.ws, kind: 'room', id: 'room-demo', token, generate: true });
    stops.push(() => back.close());
    expect((await back.connect()).hearing?.id).toBe(hearing);
    expect(b.built.conference.member('room-demo')).toBeDefined();
    expect(a.built.conference.member('room-demo')).toBeUndefined();
    await until('node-a tells where the room is connected (node-b’s heartbeat)', 10_000, async () => {
      const view = (await (await fetch(`${a.url}/api/v1/cluster`, { headers: auth })).json()) as {
        nodes: { id: string; rooms: { id: string }[] }[];
      };
      return view.nodes.find((n) => n.id === 'node-b')?.rooms.some((r) => r.id === 'room-demo');
    });
    // the console at node-a lists the room online although its connection is at node-b
    const listed = (await (await fetch(`${a.url}/api/v1/fleet/rooms`, { headers: auth })).json()) as { id: string; online: boolean }[];
    expect(listed.find((r) => r.id === 'room-demo')?.online).toBe(true);
    const rooms = (await (await fetch(`${a.url}/api/v1/rooms`, { headers: auth })).json()) as {
      id: string;
      online: boolean;
      publishing: boolean;
    }[];
    expect(rooms.find((r) => r.id === 'room-demo')).toMatchObject({ online: true, hearing }); // connected at node-b, not publishing yet

    // node-b leaves: node-a places the hearing on itself; the room's forwarded socket is cut and it reconnects
    const cut = new Promise((r) => back.ws.once('close', r));
    await b.stop();
    await cut;
    const again = new WeriftParticipant({ url: a.ws, kind: 'room', id: 'room-demo', token });
    stops.push(() => again.close());
    await until('the hearing placed on node-a', 10_000, async () => {
      const view = (await (await fetch(`${a.url}/api/v1/cluster`, { headers: auth })).json()) as { placements: { node: string }[] };
      return view.placements[0]?.node === 'node-a';
    });
    expect((await again.connect()).hearing?.id).toBe(hearing);
    expect(a.built.conference.member('room-demo')?.hearingId).toBe(hearing);
  }, 60_000);
});
