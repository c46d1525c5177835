import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Faults } from './faults.js';

/** Anything the control API can steer: a simulator with fault controls and some readable state. */
export interface Controllable {
  setFaults(change: Partial<Faults>): Promise<void>;
  health(): unknown;
  state?(): unknown;
  start?(): Promise<void>;
  stop?(): Promise<void>;
  /** Named fault actions with a JSON body (POST /sims/{name}/{action}), e.g. a DSP's reboot or a camera's new password. */
  actions?: Record<string, (body: Record<string, unknown>) => unknown>;
}

const FAULT_KEYS = { offline: 'boolean', latencyMs: 'number', garbage: 'boolean', protocolError: 'boolean' } as const;

/**
 * Fault controls of `reception sim` over HTTP, for tests and the demo:
 *   GET  /sims                    every simulator's health and state
 *   POST /sims/{name}/faults      {"offline": true, "latencyMs": 3000, "garbage": false, "protocolError": false}
 *   POST /sims/{name}/stop|start  take a whole simulator down / bring it back (e.g. the RTSP server)
 *   POST /sims/{name}/{action}    a simulator's own fault action (listed in GET /sims as `actions`), e.g.
 *                                 onvif/password {"password": "…"}, tesira/reboot {"bootMs": 5000},
 *                                 camera/flap {"downMs": 3000, "upMs": 3000}; 400 with the reason when the body is wrong
 */
export function createControlServer(sims: Record<string, Controllable>, host: string, port: number) {
  let server: Server | undefined;
  const handle = async (req: IncomingMessage): Promise<[number, unknown]> => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method === 'GET' && url.pathname === '/sims') {
      return [
        200,
        Object.fromEntries(
          Object.entries(sims).map(([n, s]) => [n, { health: s.health(), state: s.state?.(), actions: Object.keys(s.actions ?? {}) }]),
        ),
      ];
    }
    const m = /^\/sims\/([a-z0-9-]+)\/([a-z0-9-]+)$/.exec(url.pathname);
    const sim = m && sims[m[1]];
    if (!m || !sim) return [404, { error: `unknown path; simulators: ${Object.keys(sims).join(', ')}` }];
    const builtIn = m[2] === 'faults' || m[2] === 'stop' || m[2] === 'start';
    const named = builtIn ? undefined : sim.actions?.[m[2]];
    if (!builtIn && !named) {
      return [
        404,
        { error: `${m[1]} has no action "${m[2]}"; actions: ${['faults', 'stop', 'start', ...Object.keys(sim.actions ?? {})].join(', ')}` },
      ];
    }
    if (req.method !== 'POST') return [405, { error: 'use POST' }];
    if (named) {
      let body: unknown;
      try {
        body = JSON.parse(await readBody(req));
      } catch {
        return [400, { error: 'body must be JSON' }];
      }
      if (typeof body !== 'object' || body === null || Array.isArray(body)) return [400, { error: 'body must be a JSON object' }];
      try {
        const result = await named(body as Record<string, unknown>);
        return [200, { ok: true, ...(result === undefined ? {} : { result }), health: sim.health() }];
      } catch (e) {
        if (e instanceof BadActionBody) return [400, { error: e.message }];
        throw e;
      }
    }
    if (m[2] !== 'faults') {
      const action = sim[m[2] as 'stop' | 'start'];
      if (!action) return [400, { error: `${m[1]} cannot ${m[2]}` }];
      await action.call(sim);
      return [200, { ok: true }];
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(await readBody(req)) as Record<string, unknown>;
    } catch {
      return [400, { error: 'body must be JSON' }];
    }
    for (const [k, v] of Object.entries(body)) {
      const want = FAULT_KEYS[k as keyof typeof FAULT_KEYS];
      if (!want) return [400, { error: `unknown fault "${k}"; known: ${Object.keys(FAULT_KEYS).join(', ')}` }];
      if (typeof v !== want) return [400, { error: `${k} must be a ${want}` }];
    }
    await sim.setFaults(body as Partial<Faults>);
    return [200, { ok: true, health: sim.health() }];
  };
  return {
    async start() {
      server = createServer((req, res) => {
        handle(req).then(
          ([code, body]) => res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(body)),
          (err: Error) => res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: err.message })),
        );
      });
      await new Promise<void>((resolve, reject) => server!.once('error', reject).listen(port, host, () => resolve()));
    },
    async stop() {
      await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    },
    url(): string {
      const a = server?.address();
      return a && typeof a === 'object' ? `http://${host}:${a.port}` : '';
    },
  };
}

/** Thrown by an action whose body is wrong: answered 400 with its message. */
export class BadActionBody extends Error {}

/** Reads an optional number field of an action body (400 when present but not a finite number ≥ min). */
export function numberField(body: Record<string, unknown>, key: string, fallback: number, min = 0): number {
  const v = body[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min) throw new BadActionBody(`${key} must be a number ≥ ${min}`);
  return v;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.on('data', (c) => {
      data += String(c);
      if (data.length > 16_384) reject(new Error('body too large'));
    });
    req.on('end', () => resolve(data || '{}'));
    req.on('error', reject);
  });
}
