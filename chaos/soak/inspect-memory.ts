// What a process's RSS is made of, read from outside while it runs (the soak's gateway and daemon climbed with the
// cause unknown): SIGUSR1 opens Node's inspector on 127.0.0.1:<port>; one Runtime.evaluate a minute reads
// process.memoryUsage() — the JS heap, buffers outside it (external, arrayBuffers) — and the rest of RSS is
// native (werift's and OpenSSL's allocations, the allocator's fragmentation). A heap snapshot can be written on
// request (v8.writeHeapSnapshot in the process) to compare what the heap holds. No product code changes.
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

export interface MemoryReader {
  read(): Promise<MemoryParts | undefined>;
  /** Writes a heap snapshot of the process to `file` (blocks that process for seconds); the path, or undefined. */
  snapshot(file: string): Promise<string | undefined>;
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
 * a reader; undefined when it does not come up. With `moveTo`, the inspector is then re-opened on that port, so the
 * default port is free for the next process (the soak reads the daemon and the gateway, both started without a port).
 * A reading of another process on the port is refused.
 */
export async function attachMemoryReader(pid: number, port = 9229, moveTo?: number): Promise<MemoryReader | undefined> {
  process.kill(pid, 'SIGUSR1');
  let session = await connect(port);
  if (!session) return undefined;
  if (moveTo !== undefined && moveTo !== port) {
    // close() waits for connected clients: ours leaves first, then the process re-opens on the new port
    const expression = `setTimeout(() => { const i = process.getBuiltinModule('node:inspector'); i.close(); i.open(${moveTo}, '127.0.0.1'); }, 300); 'ok'`;
    await session.evaluate(expression);
    session.close();
    session = await connect(moveTo);
    if (!session) return undefined;
  }
  const s = session;
  const ours = async (expression: string, timeoutMs: number) => {
    const raw = await s.evaluate(`JSON.stringify({ pid: process.pid, value: ${expression} })`, timeoutMs);
    if (typeof raw !== 'string') return undefined;
    const got = JSON.parse(raw) as { pid: number; value: unknown };
    return got.pid === pid ? got.value : undefined; // another process held the port: not ours to read
  };
  return {
    read: async () => {
      const mem = (await ours('process.memoryUsage()', 10_000)) as NodeJS.MemoryUsage | undefined;
      return mem ? toParts(mem) : undefined;
    },
    snapshot: async (file) =>
      (await ours(`process.getBuiltinModule('node:v8').writeHeapSnapshot(${JSON.stringify(file)})`, 300_000)) as string | undefined,
  };
}

async function connect(port: number) {
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
  return {
    close: () => ws.close(),
    evaluate: async (expression: string, timeoutMs = 10_000) => {
      if (ws.readyState !== WebSocket.OPEN) return undefined;
      const n = ++id;
      const value = new Promise<unknown>((r) => waiting.set(n, r));
      ws.send(JSON.stringify({ id: n, method: 'Runtime.evaluate', params: { expression, returnByValue: true } }));
      return Promise.race([value, delay(timeoutMs).then(() => undefined)]);
    },
  };
}
