import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { fleetReportPath } from '../../common/contracts/fleet.js';
import { SIGNALING_PROTOCOL } from '../../common/contracts/signaling/messages.js';
import { sha256Hex } from '../../common/http/credentials.js';
import { silentLogger } from '../../common/log.js';
import { createHub } from '../../hub/create-hub.js';
import { enrollRoomAt } from '../../hub/test/enroll-room.js';
import { until } from '../helpers/until.js';

// Issue 10: a revoked room is cut off everywhere at once — its open signaling connection is closed
// (4401 REVOKED), a new one refused, its fleet reports and archive uploads refused 401 — and the
// registry (what the console shows) says 'revoked'. Before the revocation the same credential works.

const TECH = 'technician-token';
const tmp = (p: string) => mkdtempSync(join(tmpdir(), p));
const stops: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const s of stops.splice(0).reverse()) await s();
});

async function hubWithEnrolledRoom() {
  const hubDir = tmp('hub-');
  const hub = createHub({
    host: '127.0.0.1',
    port: 0,
    publicUrl: '',
    tokens: [{ name: 'kỹ thuật viên', sha256: sha256Hex(TECH), roles: ['technician'] }],
    allowLoopbackOfficers: false,
    ice: { hostAddresses: ['127.0.0.1'], useIpv6: false, stunUrls: [], portMin: 0, portMax: 0 },
    stateDir: hubDir,
    logger: silentLogger(),
  });
  await hub.start();
  stops.push(() => hub.stop());
  const url = hub.address();
  const e = await enrollRoomAt({ hubUrl: url, hubStateDir: hubDir, room: 'room-a', boxStateDir: tmp('box-'), name: 'Phòng A' });
  return { url, token: e.token };
}

function signal(url: string, token: string) {
  const ws = new WebSocket(`${url.replace('http', 'ws')}/api/v1/signal`, { headers: { authorization: `Bearer ${token}` } });
  const messages: { type: string; code?: string }[] = [];
  ws.on('message', (raw) => messages.push(JSON.parse(String(raw))));
  const closed = once(ws, 'close') as Promise<[number, Buffer]>;
  ws.on('open', () =>
    ws.send(JSON.stringify({ type: 'hello', protocol: SIGNALING_PROTOCOL, kind: 'room', id: 'room-a', name: 'Phòng A' })),
  );
  stops.push(async () => ws.terminate());
  return { ws, messages, closed };
}

const report = (url: string, token: string) =>
  fetch(`${url}${fleetReportPath('room-a')}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: '{}',
  });
const upload = (url: string, token: string) =>
  fetch(`${url}/api/v1/archive/hearings/h-x.room-a/files/seg-00000.ts`, { method: 'HEAD', headers: { authorization: `Bearer ${token}` } });

describe('a revoked room', () => {
  it('loses signaling, fleet reports and uploads at once; the registry says revoked', async () => {
    const { url, token } = await hubWithEnrolledRoom();
    const live = signal(url, token);
    await until('welcome', 5000, () => live.messages.some((m) => m.type === 'welcome'));
    expect((await report(url, token)).status).toBe(400); // the credential is accepted (the empty body is not)
    expect((await upload(url, token)).status).not.toBe(401);

    const res = await fetch(`${url}/api/v1/registry/rooms/room-a/revoke`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TECH}`, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'thiết bị bị mất / box lost' }),
    });
    expect(res.status).toBe(200);

    const [code] = await live.closed;
    expect(code).toBe(4401);
    expect(live.messages.at(-1)).toMatchObject({ type: 'error', code: 'REVOKED' });
    const again = signal(url, token);
    const [code2] = await again.closed;
    expect(code2).toBe(4401);
    expect(again.messages.at(-1)).toMatchObject({
      type: 'error',
      code: 'UNAUTHORIZED',
      message: expect.stringMatching(/revoked or replaced — enroll the box again/),
    });
    expect(again.messages.some((m) => m.type === 'welcome')).toBe(false);
    expect((await report(url, token)).status).toBe(401);
    expect((await upload(url, token)).status).toBe(401);

    const rooms = (await (await fetch(`${url}/api/v1/registry/rooms`, { headers: { authorization: `Bearer ${TECH}` } })).json()) as {
      id: string;
      state: string;
    }[];
    expect(rooms).toMatchObject([{ id: 'room-a', state: 'revoked' }]);
  });
});
