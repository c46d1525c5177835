import { createServer, connect, type Socket } from 'node:net';

// A loopback TCP proxy in front of the hub that can break the first connection after N uploaded
// bytes, or flip one byte of it (a corrupted transfer). Counts what each connection carried upstream.

export interface ProxyFaults {
  /** Destroy the first connection that carries this many client→hub bytes, right there (once). */
  cutAfter?: { bytes: number };
  /** XOR 0xff into the byte at this position of the first connection that gets that far (once). */
  flipAt?: { byte: number };
}

export async function startProxy(target: string, faults: ProxyFaults = {}) {
  const { hostname, port } = new URL(target);
  const upstreamBytes: number[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const n = upstreamBytes.push(0) - 1;
    const hub = connect(Number(port), hostname);
    sockets.add(client).add(hub);
    client.on('data', (buf: Buffer) => {
      const at = upstreamBytes[n]!;
      const cut = faults.cutAfter ? faults.cutAfter.bytes - at : Infinity;
      if (faults.flipAt && faults.flipAt.byte >= at && faults.flipAt.byte < at + buf.length) {
        buf = Buffer.from(buf);
        buf[faults.flipAt.byte - at]! ^= 0xff;
        faults.flipAt = undefined;
      }
      if (cut <= buf.length) {
        faults.cutAfter = undefined;
        hub.write(buf.subarray(0, Math.max(0, cut)), () => {
          upstreamBytes[n] = at + Math.max(0, cut);
          client.destroy();
          hub.destroy();
        });
        return;
      }
      upstreamBytes[n] = at + buf.length;
      hub.write(buf);
    });
    hub.on('data', (buf) => client.write(buf));
    const end = () => (client.destroy(), hub.destroy());
    client.on('close', end).on('error', end);
    hub.on('close', end).on('error', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${addr.port}`,
    upstreamBytes,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
