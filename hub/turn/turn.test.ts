import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RTCPeerConnection } from 'werift';
import type { HubMessage } from '../../common/contracts/signaling/messages.js';
import { HubConfigError, validateHubConfig } from '../config/load-config.js';
import { OFFICER_TOKEN, startTestHub } from '../test/hub-fixture.js';
import { createTurn } from './create-turn.js';
import { iceServerLinks, turnCredential } from './turn-credentials.js';

// hub/turn: the config is checked at load (the field named), credentials are coturn's TURN REST API ones
// (checked against openssl's HMAC, not our own), rooms get them before `welcome`, WHIP/WHEP callers as Link headers.

const dir = mkdtempSync(join(tmpdir(), 'hub-turn-'));
const secretFile = join(dir, 'turn-secret');
const SECRET = 'c0ffee00c0ffee00c0ffee00';
writeFileSync(secretFile, `${SECRET}\n`, { mode: 0o600 });
const URLS = [
  'turn:turn.example.vn:3478?transport=udp',
  'turn:turn.example.vn:3478?transport=tcp',
  'turns:turn.example.vn:5349?transport=tcp',
];

const problemAt = (raw: unknown): string[] => {
  try {
    validateHubConfig(raw);
    return [];
  } catch (err) {
    if (!(err instanceof HubConfigError)) throw err;
    return err.problems.map((p) => p.path);
  }
};

describe('hub/turn config', () => {
  it('names the field: urls without a secret file, a missing or short secret, a malformed url', () => {
    expect(problemAt({ turn: { urls: URLS } })).toEqual(['/turn/secretFile']);
    expect(problemAt({ turn: { urls: URLS, secretFile: join(dir, 'nope') } })).toEqual(['/turn/secretFile']);
    writeFileSync(join(dir, 'short'), 'abc');
    expect(problemAt({ turn: { urls: URLS, secretFile: join(dir, 'short') } })).toEqual(['/turn/secretFile']);
    expect(problemAt({ turn: { urls: ['http://turn.example.vn'], secretFile } })).toEqual(['/turn/urls/0']);
    expect(problemAt({ turn: { urls: ['turn:h:3478?transport=sctp'], secretFile } })).toEqual(['/turn/urls/0']);
    expect(problemAt({ turn: { urls: URLS, secretFile, ttlSeconds: 5 } })).toEqual(['/turn/ttlSeconds']);
    expect(problemAt({ turn: { urls: URLS, secretFile } })).toEqual([]);
    expect(problemAt({})).toEqual([]); // no TURN: nothing required
  });
});

describe('TURN REST API credentials', () => {
  it('username <expiry>:<who>, password base64 HMAC-SHA1 of it (as openssl computes it)', () => {
    const now = Date.UTC(2026, 11, 3, 10, 0, 0);
    const c = turnCredential(SECRET, 'room:demo', 600, now);
    expect(c.username).toBe(`${now / 1000 + 600}:room_demo`);
    expect(c.expiresAt).toBe(now + 600_000);
    const hex = execFileSync('openssl', ['dgst', '-sha1', '-hmac', SECRET, '-hex'], { input: c.username, encoding: 'utf8' })
      .trim()
      .split(' ')
      .pop()!;
    expect(c.credential).toBe(Buffer.from(hex, 'hex').toString('base64'));
  });

  it('RFC 9725 §4.6 Link values: STUN bare, TURN with username, credential and credential-type', () => {
    const links = iceServerLinks([{ urls: ['stun:s.example.vn'] }, { urls: [URLS[1]!], username: '1:a', credential: 'x"y' }]);
    expect(links).toEqual([
      '<stun:s.example.vn>; rel="ice-server"',
      `<${URLS[1]}>; rel="ice-server"; username="1:a"; credential="x\\"y"; credential-type="password"`,
    ]);
  });
});

describe('createTurn', () => {
  it('a signaling connection gets fresh credentials every ttl/2 until it stops; no TURN, no STUN: nothing sent', () => {
    vi.useFakeTimers();
    try {
      let now = 1_800_000_000_000;
      const turn = createTurn({ turn: { urls: URLS, secretFile, ttlSeconds: 600 }, stunUrls: ['stun:s.example.vn'], now: () => now });
      const sent: HubMessage[] = [];
      const stop = turn.watch('room-demo', (m) => sent.push(m));
      expect(sent).toHaveLength(1);
      now += 300_000;
      vi.advanceTimersByTime(300_000);
      expect(sent).toHaveLength(2);
      const [a, b] = sent as Extract<HubMessage, { type: 'ice-servers' }>[];
      expect(b!.expiresAt! - a!.expiresAt!).toBe(300_000);
      expect(b!.iceServers[0]).toEqual({ urls: ['stun:s.example.vn'] });
      stop();
      vi.advanceTimersByTime(900_000);
      expect(sent).toHaveLength(2);
      const off = createTurn({ turn: { urls: [], secretFile: '', ttlSeconds: 600 }, stunUrls: [] });
      off.watch('room-demo', (m) => sent.push(m))();
      expect(sent).toHaveLength(2);
      expect(off.links('whip-1')).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('the hub hands out ICE servers', () => {
  let hub: Awaited<ReturnType<typeof startTestHub>>;
  beforeAll(async () => {
    hub = await startTestHub({ rooms: 1, turn: { urls: URLS, secretFile, ttlSeconds: 600 } });
  });
  afterAll(() => hub?.stop());

  it('a room gets `ice-servers` (TURN with a fresh credential for its id) before `welcome`', async () => {
    const ws = new WebSocket(hub.signalUrl, { headers: { authorization: `Bearer ${hub.roomToken(1)}` } });
    const got: HubMessage[] = [];
    ws.on('message', (d) => got.push(JSON.parse(String(d)) as HubMessage));
    await new Promise((r, j) => ws.once('open', r).once('error', j));
    ws.send(JSON.stringify({ type: 'hello', protocol: 1, kind: 'room', id: 'room-demo' }));
    await expect.poll(() => got.map((m) => m.type), { timeout: 10_000 }).toContain('welcome');
    ws.close();
    expect(got[0]!.type).toBe('ice-servers');
    const ice = got[0] as Extract<HubMessage, { type: 'ice-servers' }>;
    const [turn] = ice.iceServers;
    expect(turn!.urls).toEqual(URLS);
    expect(turn!.username).toMatch(/^\d{10}:room-demo$/);
    expect(ice.expiresAt! - Date.now()).toBeGreaterThan(590_000);
    expect(turnCredential(SECRET, 'room-demo', 600, ice.expiresAt! - 600_000).credential).toBe(turn!.credential);
  });

  it('WHIP 201 carries one Link rel="ice-server" per TURN url, with credentials', async () => {
    const h = await hub.app.inject({
      method: 'POST',
      url: '/api/v1/hearings',
      headers: { authorization: `Bearer ${OFFICER_TOKEN}` },
      payload: { title: 'Phiên TURN', rooms: ['room-demo'] },
    });
    const pc = new RTCPeerConnection({ iceServers: [] });
    pc.addTransceiver('audio', { direction: 'sendonly' });
    pc.addTransceiver('video', { direction: 'sendonly' });
    await pc.setLocalDescription(await pc.createOffer());
    const r = await fetch(`${hub.url}/whip/hearings/${h.json().id}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${OFFICER_TOKEN}`, 'content-type': 'application/sdp' },
      body: pc.localDescription!.sdp,
    });
    await pc.close();
    expect(r.status).toBe(201);
    const links = r.headers.get('link')!.split(/,\s*(?=<)/);
    expect(links).toHaveLength(3);
    expect(links[2]).toMatch(
      /^<turns:turn\.example\.vn:5349\?transport=tcp>; rel="ice-server"; username="\d+:whip-\d+"; credential="[^"]+"/,
    );
    await fetch(`${hub.url}${r.headers.get('location')}`, { method: 'DELETE', headers: { authorization: `Bearer ${OFFICER_TOKEN}` } });
  });
});
