import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHubProbe } from './hub-probe.js';

// The probe asks the hub's signaling origin on a fresh connection; any HTTP answer means it is there.
describe('hub probe', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

  const serve = (delayMs: number) =>
    new Promise<string>((resolve) => {
      server = createServer((_req, res) => setTimeout(() => res.writeHead(404).end(), delayMs));
      server.listen(0, '127.0.0.1', () => resolve(`ws://127.0.0.1:${(server!.address() as AddressInfo).port}/api/v1/signal`));
    });

  it('a hub slow to answer (1.2 s: just restarted on a loaded box) counts as there by default', async () => {
    const probe = createHubProbe({ signalUrl: await serve(1200) });
    expect(await probe()).toBe(true); // with the old 1 s default: false, and the room waited out its backoff
  });

  it('no answer within the timeout is no answer', async () => {
    const probe = createHubProbe({ signalUrl: await serve(3000), timeoutMs: 300 });
    expect(await probe()).toBe(false);
  });

  it('nobody listening is no answer', async () => {
    const url = await serve(0);
    await new Promise<void>((r) => server!.close(() => r()));
    server = undefined;
    expect(await createHubProbe({ signalUrl: url })()).toBe(false);
  });
});
