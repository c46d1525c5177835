import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHubTrust, HubTrustError, parseCaPem } from './hub-trust.js';
import { ensureInternalCa, ensureServerCertificate, type InternalCa } from './internal-ca.js';
import { describeTlsError, tlsErrorCode } from './tls-errors.js';
import { startTlsTestServer } from './test/tls-test-server.js';

// Real TLS handshakes: an HTTPS/WSS server with a certificate from an internal CA, and room clients that
// trust that CA, another CA, or only the system's roots.

let root: string;
let ca: InternalCa;
let otherCa: InternalCa;
let server: Awaited<ReturnType<typeof startTlsTestServer>>;
let expired: Awaited<ReturnType<typeof startTlsTestServer>>;
let misnamed: Awaited<ReturnType<typeof startTlsTestServer>>;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'hub-trust-'));
  ca = await ensureInternalCa(join(root, 'a'));
  otherCa = await ensureInternalCa(join(root, 'b'));
  const cert = await ensureServerCertificate(join(root, 'a'), ca, ['localhost', '127.0.0.1']);
  server = await startTlsTestServer(cert.keyPem, cert.certPem);
  const old = await ensureServerCertificate(join(root, 'old'), ca, ['localhost'], { now: new Date(Date.now() - 400 * 86_400_000) });
  expired = await startTlsTestServer(old.keyPem, old.certPem);
  const other = await ensureServerCertificate(join(root, 'named'), ca, ['hub.tinh.gov.vn']);
  misnamed = await startTlsTestServer(other.keyPem, other.certPem);
});
afterAll(async () => {
  await server?.close();
  await expired?.close();
  await misnamed?.close();
  rmSync(root, { recursive: true, force: true });
});

/** The error a fetch ends with (it must fail). */
async function fetchError(trust: ReturnType<typeof createHubTrust>, url: string): Promise<unknown> {
  try {
    await trust.fetch(url, { signal: AbortSignal.timeout(10_000) });
  } catch (err) {
    return err;
  }
  throw new Error(`${url} answered`);
}

/** 'hello' from the WSS server, or the error of the handshake. */
function wsGreeting(url: string, opts: WebSocket.ClientOptions): Promise<string | Error> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { ...opts, handshakeTimeout: 10_000 });
    ws.once('message', (m) => {
      resolve(String(m));
      ws.close();
    });
    ws.once('error', (err) => resolve(err));
  });
}

describe('hub trust: a room trusts exactly the CA from its enrollment', () => {
  it('with the enrolled CA: fetch (GET, PUT with a body) and wss connect, by name and by address', async () => {
    const trust = createHubTrust({ caPem: ca.caPem });
    expect(trust.source).toBe('enrollment');
    try {
      const get = await trust.fetch(`https://localhost:${server.port}/x`);
      expect(await get.json()).toEqual({ method: 'GET', bytes: 0 });
      const put = await trust.fetch(`https://127.0.0.1:${server.port}/x`, { method: 'PUT', body: Buffer.alloc(70_000, 1) });
      expect(await put.json()).toEqual({ method: 'PUT', bytes: 70_000 });
      expect(await wsGreeting(`wss://localhost:${server.port}/`, trust.wsOptions)).toBe('hello');
    } finally {
      await trust.close();
    }
  });

  it('without a CA (system roots only) the internal CA is not trusted: certificate error, for fetch and ws', async () => {
    const trust = createHubTrust();
    expect(trust.source).toBe('system');
    expect(trust.ca.length).toBeGreaterThan(50); // Node's bundled roots at least
    const err = await fetchError(trust, `https://localhost:${server.port}/`);
    expect(tlsErrorCode(err)).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    expect(describeTlsError(err)).toMatch(/not signed by a trusted CA/);
    const wsErr = await wsGreeting(`wss://localhost:${server.port}/`, trust.wsOptions);
    expect(tlsErrorCode(wsErr)).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    await trust.close();
  });

  it('with another CA (a hub impersonated, or the wrong enrollment): certificate error, nothing sent', async () => {
    const trust = createHubTrust({ caPem: otherCa.caPem });
    const err = await fetchError(trust, `https://localhost:${server.port}/`);
    expect(tlsErrorCode(err)).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    expect(await wsGreeting(`wss://localhost:${server.port}/`, trust.wsOptions)).toBeInstanceOf(Error);
    await trust.close();
  });

  it('the enrolled CA does not make a wrong name or an expired certificate acceptable', async () => {
    const trust = createHubTrust({ caPem: ca.caPem });
    const err = await fetchError(trust, `https://127.0.0.1:${misnamed.port}/`); // its certificate names hub.tinh.gov.vn only
    expect(tlsErrorCode(err)).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
    expect(tlsErrorCode(await wsGreeting(`wss://localhost:${misnamed.port}/`, trust.wsOptions))).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
    const old = await fetchError(trust, `https://localhost:${expired.port}/`);
    expect(tlsErrorCode(old)).toBe('CERT_HAS_EXPIRED');
    expect(describeTlsError(old)).toBe("the hub's certificate has expired [CERT_HAS_EXPIRED]");
    await trust.close();
  });

  it('refuses a caPem that is no CA certificate or no certificate at all', async () => {
    const leaf = await ensureServerCertificate(join(root, 'leaf'), ca, ['x.local']);
    expect(() => parseCaPem(leaf.certPem)).toThrow(/is not a CA certificate/);
    expect(() => createHubTrust({ caPem: 'not a pem' })).toThrow(HubTrustError);
    expect(parseCaPem(`${ca.caPem}${otherCa.caPem}`)).toHaveLength(2); // a province chain: several roots
    expect(describeTlsError(new Error('ECONNRESET'))).toBeUndefined();
  });
});
