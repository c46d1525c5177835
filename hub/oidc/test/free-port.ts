import { createServer } from 'node:net';

/** A loopback port free right now (the hub's callback URL must be known before the provider starts). */
export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer()
      .once('error', reject)
      .listen(0, '127.0.0.1', () => {
        const { port } = s.address() as { port: number };
        s.close(() => resolve(port));
      });
  });
