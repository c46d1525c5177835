// What a process's RSS is made of, read from outside while it runs (the soak's gateway climbed +147 MB/h with
// the cause unknown): SIGUSR1 opens Node's inspector on 127.0.0.1:<port>; one Runtime.evaluate a minute reads
// process.memoryUsage() — the JS heap, buffers outside it (external, arrayBuffers) — and the rest of RSS is
// native (werift's and OpenSSL's allocations, the allocator's fragmentation). No product code changes.
import { setTimeout as delay } from 'node:timers/promises';

export interface MemoryParts {
  rssMb: number;
  heapUsedMb: number;
  heapTotalMb: number;
  externalMb: number;
  arrayBuffersMb: number;
  /** rss − heapTotal − external: code, stacks, native allocations outside V8's accounting. */
  nativeMb: number;
}

const mb = (b: number) => Math.round((b / 1048576) * 10) / 10;

export function toParts(u: NodeJS.MemoryUsage): MemoryParts {
  return {
    rssMb: mb(u.rss),
    heapUsedMb: mb(u.heapUsed),
    heapTotalMb: mb(u.heapTotal),
    externalMb: mb(u.external),
    arrayBuffersMb: mb(u.arrayBuffers),
    nativeMb: mb(u.rss - u.heapTotal - u.external),
  };
}

/**
 * Opens the inspector of `pid` (Node's SIGUSR1, on the port of its `--inspect-port`, 9229 by default) and returns
 * a reader; undefined when it does not come up. A reading of another process on that port is refused.
 */
export async function attachMemoryReader(pid: number, port = 9229): Promise<(() => Promise<MemoryParts | undefined>) | undefined> {
  process.kill(pid, 'SIGUSR1');
  let target: { webSocketDebuggerUrl: string } | undefined;
  for (let i = 0; i < 50 && !target; i++) {
    target = await fetch(`http://127.0.0.1:${port}/json/list`)
      .then((r) => r.json() as Promise<{ webSocketDebuggerUrl: string }[]>)
      .then((list) => list[0])
      .catch(() => undefined);
    if (!target) await delay(200);
  }
  if (!target) return undefined;
  const ws = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((ok, fail) => ((ws.onopen = ok), (ws.onerror = fail)));
  let id = 0;
  const waiting = new Map<number, (v: unknown) => void>();
  ws.onmessage = (ev) => {
    const msg = JSON.parse(String(ev.data)) as { id?: number; result?: { result?: { value?: string } } };
    if (msg.id !== undefined) waiting.get(msg.id)?.(msg.result?.result?.value), waiting.delete(msg.id);
  };
  return async () => {
    if (ws.readyState !== WebSocket.OPEN) return undefined;
    const n = ++id;
    const value = new Promise<unknown>((r) => waiting.set(n, r));
    const expression = 'JSON.stringify({ pid: process.pid, mem: process.memoryUsage() })';
    ws.send(JSON.stringify({ id: n, method: 'Runtime.evaluate', params: { expression, returnByValue: true } }));
    const raw = await Promise.race([value, delay(10_000).then(() => undefined)]);
    if (typeof raw !== 'string') return undefined;
    const got = JSON.parse(raw) as { pid: number; mem: NodeJS.MemoryUsage };
    return got.pid === pid ? toParts(got.mem) : undefined; // another process held the port: not ours to read
  };
}
