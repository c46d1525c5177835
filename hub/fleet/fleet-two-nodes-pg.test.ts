import { createPublicKey, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeKey, openToken, requestMac } from '../../common/contracts/enrollment.js';
import { bareReport } from '../../common/contracts/test/samples.js';
import { generateApplianceKey } from '../../common/evidence/index.js';
import { silentLogger } from '../../common/log.js';
import { useMigratedDatabase } from '../../tests/helpers/postgres.js';
import { until } from '../../tests/helpers/until.js';
import { sha256Hex } from '../config/auth.js';
import { buildHub } from '../create-hub.js';
import { runUserCommand } from '../accounts/user-command.js';
import { openHubStore, type HubStore } from '../store/hub-store.js';
import { testHubDeps } from '../test/hub-fixture.js';

// Two hub nodes (in process, each with its own pool) on one PostgreSQL, driven over their HTTP API as a
// technician and a room would: a code issued on one node is used on both at the same moment (one
// enrollment), the room then reports to the other node and both show its health; the database stopped
// → the report is 503 STORE_UNAVAILABLE, and works again once the database is back.

const TECH = 'tech-token-two-nodes';
const db = useMigratedDatabase(); // its beforeAll runs first: the nodes below open the migrated database
let nodes: { app: Awaited<ReturnType<typeof buildHub>>['app']; store: HubStore }[] = [];

beforeAll(async () => {
  for (let i = 0; i < 2; i++) {
    const store = await openHubStore(db.url, silentLogger());
    const tokens = [{ name: 'kỹ thuật', sha256: sha256Hex(TECH), roles: ['technician' as const, 'officer' as const] }];
    const { app } = await buildHub(testHubDeps({ store, tokens }));
    nodes.push({ app, store });
  }
});
const dirs: string[] = [];
afterAll(async () => {
  // every step tried whatever the one before did: a failing close must not leave PostgreSQL running
  for (const n of nodes)
    await n.app
      .close()
      .catch(() => {})
      .finally(() => n.store.close().catch(() => {}));
  nodes = [];
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

describe('two hub nodes on one PostgreSQL', () => {
  it('one code used on both nodes at once enrolls once; the room reports to either node; a database outage is 503, then heals', async () => {
    const [a, b] = nodes as [(typeof nodes)[0], (typeof nodes)[0]];
    const issued = await a.app.inject({
      method: 'POST',
      url: '/api/v1/enrollment/codes',
      headers: auth(TECH),
      payload: { room: 'room-x', name: 'Phòng X' },
    });
    expect(issued.statusCode).toBe(201);
    const { code } = issued.json() as { code: string };
    const pem = createPublicKey(generateApplianceKey().privateKeyPem).export({ type: 'spki', format: 'pem' }).toString();
    const fields = { room: 'room-x', publicKeyPem: pem, nonce: randomBytes(24).toString('base64url') };
    const key = codeKey(code, 'room-x');
    const payload = { ...fields, mac: requestMac(key, fields) };
    const answers = await Promise.all([a, b].map((n) => n.app.inject({ method: 'POST', url: '/api/v1/enroll', payload })));
    expect(answers.map((r) => r.statusCode).sort()).toEqual([200, 403]);
    expect(answers.find((r) => r.statusCode === 403)?.json()).toMatchObject({ code: 'CODE_USED' });
    const token = openToken(
      key,
      fields.nonce,
      (answers.find((r) => r.statusCode === 200)!.json() as { roomTokenSealed: string }).roomTokenSealed,
    )!;

    const report = (n: typeof a, version: string) =>
      n.app.inject({ method: 'POST', url: '/api/v1/fleet/rooms/room-x/report', headers: auth(token), payload: bareReport({ version }) });
    await until('node b to take the room token enrolled anywhere', 10_000, async () => (await report(b, '0.4.0')).statusCode === 200);
    const health = async (n: typeof a) =>
      (
        (await n.app.inject({ url: '/api/v1/fleet/rooms', headers: auth(TECH) })).json() as {
          id: string;
          health: { version: string } | null;
        }[]
      ).find((r) => r.id === 'room-x')?.health?.version;
    await until('node a to show the report sent to node b', 10_000, async () => (await health(a)) === '0.4.0');

    await db.cluster.stop();
    const down = await report(a, '0.4.1');
    expect(down.statusCode).toBe(503);
    expect(down.json()).toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect(down.json().message).toMatch(/^cơ sở dữ liệu không truy cập được \/ the database is unreachable/);
    expect(await health(a)).toBe('0.4.0'); // reads answer from the node's view meanwhile
    await db.cluster.start();
    await until('the report to work again after the database is back', 30_000, async () => (await report(a, '0.4.2')).statusCode === 200);
    await until('node b to see it', 10_000, async () => (await health(b)) === '0.4.2');
  });

  it('an account added with `reception hub user` (config with store) signs in at the other node, its session works at both; removed, refused and signed out', {
    timeout: 120_000,
  }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'two-nodes-user-'));
    dirs.push(dir);
    const config = join(dir, 'hub.json');
    writeFileSync(config, JSON.stringify({ store: db.url, stateDir: join(dir, 'state') }));
    writeFileSync(join(dir, 'pw'), 'mat-khau-rat-dai-2026\n');
    const out: string[] = [];
    const user = (...args: string[]) => runUserCommand([...args, '--config', config], (s) => void out.push(s));
    expect(await user('add', 'lan', '--role', 'officer', '--password-file', join(dir, 'pw'))).toBe(0);
    expect(out.join('')).toContain(':***@'); // says where, without the database password
    const signIn = (n: (typeof nodes)[0]) =>
      n.app.inject({ method: 'POST', url: '/api/v1/session', payload: { name: 'lan', password: 'mat-khau-rat-dai-2026' } });
    // Each sign-in costs a real scrypt check (seconds on a busy box): one at each node.
    let signedIn: Awaited<ReturnType<typeof signIn>> | undefined;
    await until('node b to let lan sign in', 60_000, async () => (signedIn = await signIn(nodes[1]!)).statusCode === 200);
    // The browser's next request goes to the other node: the session is every node's.
    const cookie = String(signedIn!.headers['set-cookie']).split(';')[0]!;
    await until(
      'node a to know the session',
      10_000,
      async () => (await nodes[0]!.app.inject({ url: '/api/v1/session', headers: { cookie } })).statusCode === 200,
    );
    expect(await user('remove', 'lan')).toBe(0);
    await until('node a to refuse lan', 60_000, async () => (await signIn(nodes[0]!)).statusCode === 401);
    await until(
      'the removed account to end its session at node b',
      10_000,
      async () => (await nodes[1]!.app.inject({ url: '/api/v1/session', headers: { cookie } })).statusCode === 401,
    );
  });
});
