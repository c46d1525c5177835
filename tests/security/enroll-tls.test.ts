import { existsSync, mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { enrollmentPath, readEnrollment } from '../../common/contracts/enrollment-file.js';
import { openHubLink } from '../../common/enrollment/hub-link.js';
import { silentLogger } from '../../common/log.js';
import { ensureInternalCa, ensureServerCertificate } from '../../common/tls/internal-ca.js';
import { SignalConnection } from '../../gateway/signaling/signal-connection.js';
import { validateHubConfig } from '../../hub/config/load-config.js';
import { createHub } from '../../hub/create-hub.js';
import { CODES_FILE, createCodeStore } from '../../hub/enrollment/codes.js';
import { resolveHubTls } from '../../hub/tls/hub-tls.js';
import { enrollBox } from '../../daemon/modules/enrollment/enroll-box.js';

// Issue 10: the room trusts the hub through enrollment, never on first use. Over https with the hub's
// internal CA the box cannot check the certificate before it enrolls; the code authenticates the hub
// (answer MAC), the token travels sealed, and the box then checks that the certificate chains to the CA
// it was given. A man in the middle with another certificate that relays to the real hub gets neither
// the token nor the box's trust: nothing is saved.

const tmp = (p: string) => mkdtempSync(join(tmpdir(), p));
const stops: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const s of stops.splice(0).reverse()) await s();
});

async function tlsHub() {
  const stateDir = tmp('hub-');
  const config = validateHubConfig({ stateDir, tls: { mode: 'internal-ca' } });
  const tls = await resolveHubTls({ tls: config.tls, host: '127.0.0.1', publicUrl: '', stateDir });
  const hub = createHub({ ...config, store: undefined, port: 0, tls, logger: silentLogger() }); // files (no --store)
  await hub.start();
  stops.push(() => hub.stop());
  const port = new URL(hub.address()).port;
  const codes = createCodeStore({ file: join(stateDir, CODES_FILE) });
  return {
    url: `https://127.0.0.1:${port}`,
    caPem: tls.caPem!,
    code: async (room: string) => (await codes.issue({ room, name: room, ttlMinutes: 10, by: 'test' })).code,
  };
}

/** An https server with a certificate from another CA, relaying POSTs to `target` and keeping what it saw. */
async function relay(target: string) {
  const dir = tmp('mitm-');
  const ca = await ensureInternalCa(dir, { commonName: 'Evil CA' });
  const cert = await ensureServerCertificate(dir, ca, ['127.0.0.1']);
  const blind = new Agent({ connect: { rejectUnauthorized: false } });
  const seen: string[] = [];
  const server: Server = createServer({ key: cert.keyPem, cert: cert.certPem }, (req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', async () => {
      if (req.method !== 'POST') return res.end();
      const answer = await undiciFetch(`${target}${req.url}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        dispatcher: blind,
      });
      const text = await answer.text();
      seen.push(text);
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(text);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  stops.push(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await blind.close();
  });
  return { url: `https://127.0.0.1:${(server.address() as { port: number }).port}`, seen };
}

describe('enrollment over TLS', () => {
  it("pins the hub's CA from the authenticated answer; the room's link then trusts exactly that CA", async () => {
    const hub = await tlsHub();
    const box = tmp('box-');
    const { enrollment } = await enrollBox({
      hubUrl: hub.url,
      code: await hub.code('room-a'),
      room: 'room-a',
      stateDir: box,
      logger: silentLogger(),
    });
    expect(enrollment.caPem).toBe(hub.caPem);
    expect((await readEnrollment(box))?.hubUrl).toBe(hub.url);
    const link = await openHubLink(box, { hubUrl: 'ws://unused' });
    stops.push(() => link.close());
    expect(link.signalUrl).toBe(`wss://127.0.0.1:${new URL(hub.url).port}/api/v1/signal`);
    const res = await link.fetch(`${link.baseUrl}/api/v1/fleet/rooms/room-a/report`, {
      method: 'POST',
      headers: { authorization: `Bearer ${link.token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(400); // TLS verified with the pinned CA, the token accepted (the empty report is not)

    // The gateway's signaling over wss with the enrolled CA and token: welcomed as room-a.
    const open = (wsOptions: { ca?: string[] }) => {
      const c = new SignalConnection({
        url: link.signalUrl,
        roomId: 'room-a',
        roomName: 'A',
        secret: link.token,
        wsOptions,
        logger: silentLogger(),
      });
      stops.push(async () => c.close());
      return new Promise<string>((resolve) => {
        c.once('welcome', (me) => resolve(`welcome ${me.id}`));
        c.once('closed', (reason) => resolve(reason));
      });
    };
    expect(await open(link.wsOptions)).toBe('welcome room-a');
    expect(await open({})).toMatch(/signaling error: .*(self-signed|unable to verify|certificate)/i); // without the CA: no connection
  });

  it('a relaying man in the middle with another certificate: refused after the exchange, token never readable, nothing saved', async () => {
    const hub = await tlsHub();
    const mitm = await relay(hub.url);
    const box = tmp('box-');
    const err = await enrollBox({
      hubUrl: mitm.url,
      code: await hub.code('room-a'),
      room: 'room-a',
      stateDir: box,
      logger: silentLogger(),
    }).catch((e) => e);
    expect(err).toMatchObject({ code: 'TLS_MISMATCH' });
    expect(existsSync(enrollmentPath(box))).toBe(false);
    expect(existsSync(join(box, 'keys', 'hub-public.key'))).toBe(false);
    expect(mitm.seen).toHaveLength(1);
    const relayed = JSON.parse(mitm.seen[0]!) as Record<string, string>;
    expect(relayed.roomTokenSealed).toBeDefined();
    expect(Object.values(relayed).join(' ')).not.toMatch(/rt1\./); // the token itself never crossed in clear
  });
});
