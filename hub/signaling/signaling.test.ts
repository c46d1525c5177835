import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubMessage } from '../../common/contracts/signaling/messages.js';
import { MAX_SIGNAL_MESSAGE_BYTES } from '../../common/contracts/signaling/messages.js';
import { OFFICER_TOKEN, startTestHub } from '../test/hub-fixture.js';

// The signaling WebSocket refuses bad input with an error message and stays usable.

interface Client {
  ws: WebSocket;
  next(): Promise<HubMessage>;
  send(data: unknown): void;
  closed: Promise<{ code: number; reason: string }>;
}

async function open(url: string, token?: string): Promise<Client> {
  const ws = new WebSocket(url, token ? { headers: { authorization: `Bearer ${token}` } } : undefined);
  const queue: HubMessage[] = [];
  const waiters: ((m: HubMessage) => void)[] = [];
  ws.on('message', (d) => {
    const m = JSON.parse(String(d)) as HubMessage;
    const w = waiters.shift();
    if (w) w(m);
    else queue.push(m);
  });
  const closed = new Promise<{ code: number; reason: string }>((r) =>
    ws.on('close', (code, reason) => r({ code, reason: String(reason) })),
  );
  await new Promise((r, j) => ws.once('open', r).once('error', j));
  return {
    ws,
    closed,
    next: () => (queue.length ? Promise.resolve(queue.shift()!) : new Promise((r) => waiters.push(r))),
    send: (data) => ws.send(typeof data === 'string' ? data : JSON.stringify(data)),
  };
}

const hello = (id = 'room-demo') => ({ type: 'hello', protocol: 1, kind: 'room', id });

describe('signaling robustness', () => {
  let hub: Awaited<ReturnType<typeof startTestHub>>;
  beforeAll(async () => {
    hub = await startTestHub({ rooms: 2 });
  });
  afterAll(() => hub?.stop());

  async function stillWorks(c: Client) {
    c.send({ type: 'ping', at: 42 });
    expect(await c.next()).toEqual({ type: 'pong', at: 42 });
  }

  it('refuses anything before hello, then accepts hello', async () => {
    const c = await open(hub.signalUrl, hub.roomToken(1));
    c.send({ type: 'ping', at: 1 });
    expect(await c.next()).toMatchObject({ type: 'error', code: 'BAD_STATE' });
    c.send({ type: 'publish-offer', sdp: 'v=0 0123456789' });
    expect(await c.next()).toMatchObject({ type: 'error', code: 'BAD_STATE' });
    c.send(hello());
    expect(await c.next()).toMatchObject({ type: 'welcome', participant: { id: 'room-demo', kind: 'room' }, hearing: null });
    await stillWorks(c);
    c.send(hello());
    expect(await c.next()).toMatchObject({ type: 'error', code: 'BAD_STATE' });
    c.ws.close();
  });

  it('bad JSON, schema violations and oversized frames get errors; the connection stays', async () => {
    const c = await open(hub.signalUrl, hub.roomToken(1));
    c.send(hello());
    await c.next();
    c.send('{not json');
    expect(await c.next()).toMatchObject({ type: 'error', code: 'BAD_JSON' });
    c.send({ type: 'ping' });
    const bad = await c.next();
    expect(bad).toMatchObject({ type: 'error', code: 'BAD_MESSAGE' });
    expect((bad as { message: string }).message).toContain('ping');
    c.send({ type: 'teleport' });
    expect(await c.next()).toMatchObject({ type: 'error', code: 'BAD_MESSAGE' });
    c.send({ type: 'subscribe-answer', sid: 'x', sdp: 'x'.repeat(MAX_SIGNAL_MESSAGE_BYTES + 10) });
    expect(await c.next()).toMatchObject({ type: 'error', code: 'TOO_LARGE' });
    c.send({ type: 'subscribe-answer', sid: 'nope', sdp: 'v=0 not really sdp' });
    expect(await c.next()).toMatchObject({ type: 'error', code: 'UNKNOWN_SID' });
    c.send({ type: 'resubscribe', sid: 'nope' });
    expect(await c.next()).toMatchObject({ type: 'error', code: 'UNKNOWN_SID' });
    c.send({ type: 'publish-offer', sdp: 'v=0 this is not an sdp at all' });
    expect(await c.next()).toMatchObject({ type: 'error', code: 'BAD_SDP' });
    await stillWorks(c);
    c.ws.close();
  });

  it('a room never enrolled and a bad token are fatal (4401)', async () => {
    const unknown = await open(hub.signalUrl, 'never-enrolled');
    unknown.send(hello('room-99'));
    expect(await unknown.next()).toMatchObject({ type: 'error', code: 'UNKNOWN_ROOM', fatal: true });
    expect((await unknown.closed).code).toBe(4401);

    const wrong = await open(hub.signalUrl, 'wrong');
    wrong.send(hello('room-2'));
    expect(await wrong.next()).toMatchObject({ type: 'error', code: 'UNAUTHORIZED', fatal: true });
    expect((await wrong.closed).code).toBe(4401);

    // No credentials in URLs (issue 10): the upgrade itself is refused (400), the token never counts.
    const viaQuery = new WebSocket(`${hub.signalUrl}?token=${hub.roomToken(2)}`);
    const refusedWith = await new Promise<number>((resolve) =>
      viaQuery.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)),
    );
    expect(refusedWith).toBe(400);
    viaQuery.on('error', () => {}); // terminating a refused upgrade reports "closed before the connection was established"
    viaQuery.terminate();
  });

  it('officers: a wrong token is fatal even from loopback; an unknown hearing is fatal (4404)', async () => {
    const bad = await open(hub.signalUrl, 'not-a-token');
    bad.send({ type: 'hello', protocol: 1, kind: 'officer', id: 'Chị Lan' });
    expect(await bad.next()).toMatchObject({ type: 'error', code: 'UNAUTHORIZED', fatal: true });
    const noHearing = await open(hub.signalUrl, OFFICER_TOKEN);
    noHearing.send({ type: 'hello', protocol: 1, kind: 'officer', id: 'Chị Lan', hearing: 'hearing-nope' });
    expect(await noHearing.next()).toMatchObject({ type: 'error', code: 'UNKNOWN_HEARING', fatal: true });
    expect((await noHearing.closed).code).toBe(4404);
  });

  it('a second connection for the same room replaces the first (4409), and hearing changes are pushed', async () => {
    const first = await open(hub.signalUrl, hub.roomToken(1));
    first.send(hello());
    await first.next();
    const second = await open(hub.signalUrl, hub.roomToken(1));
    second.send(hello());
    expect(await second.next()).toMatchObject({ type: 'welcome' });
    expect(await first.next()).toMatchObject({ type: 'error', code: 'REPLACED', fatal: true });
    expect((await first.closed).code).toBe(4409);
    const created = await hub.app.inject({ method: 'POST', url: '/api/v1/hearings', payload: { title: 'Đẩy', rooms: ['room-demo'] } });
    expect(await second.next()).toMatchObject({ type: 'hearing', hearing: { id: created.json().id, participants: [{ id: 'room-demo' }] } });
    await hub.app.inject({ method: 'POST', url: `/api/v1/hearings/${created.json().id}/end` });
    expect(await second.next()).toMatchObject({ type: 'hearing', hearing: null });
    await stillWorks(second);
    second.ws.close();
  });
});
