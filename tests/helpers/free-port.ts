import { createServer } from 'node:net';

// Ports already handed out by this process: two rooms started at the same time must never be given
// the same number (the OS can offer a just-released port again), whether used for TCP or UDP.
const handedOut = new Set<number>();

function askOs(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** A TCP port free right now on loopback (the OS picks it), never one this process handed out before. */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await askOs();
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    return port;
  }
}
