import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { UpdateJob } from '../../common/release/update-job.js';
import { unhealthyReason, watchHealth } from './watch-health.js';

// The health watch against a real HTTP server answering a scripted sequence; time is a counter the
// watch's pauses advance (one "second" per poll), so the figures are exact and nothing waits.

let server: Server | undefined;
afterEach(() => server?.close());

const base = { version: '0.2.0', status: 'ok', gateway: { state: 'connected' }, media: { health: { state: 'online' } } };

async function serve(answers: Array<object | number>): Promise<string> {
  let i = 0;
  server = createServer((_req, res) => {
    const a = answers[Math.min(i++, answers.length - 1)]!;
    if (typeof a === 'number') return res.writeHead(a).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(a));
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/health`;
}

const job = (healthUrl: string, before: UpdateJob['before'] = { status: 'ok', gateway: 'connected', media: 'online' }): UpdateJob => ({
  version: '0.2.0',
  attempt: 'a',
  releaseFile: '',
  installRoot: '',
  trustedKeyFile: '',
  healthUrl,
  windowSeconds: 30,
  stableSeconds: 5,
  before,
  restart: { kind: 'signal', systemdUnits: [], pm2Apps: [], pids: [] },
});

function clock() {
  let t = 0;
  return { now: () => t, pause: async (ms: number) => void (t += ms) };
}

describe('watchHealth', () => {
  it('healthy once the new version answers ok for stableSeconds without a break', async () => {
    const url = await serve([503, { ...base, version: '0.1.0' }, base, base, { ...base, status: 'degraded' }, base]);
    const r = await watchHealth(job(url), clock());
    expect(r).toEqual({ ok: true, afterMs: 10_000 }); // polls 0–4 not healthy or broken; stable from the 6th (5 s) to the 11th
  });

  it('never healthy within the window: the last reason', async () => {
    const url = await serve([{ ...base, gateway: { state: 'reconnecting' } }]);
    const r = await watchHealth(job(url), clock());
    expect(r).toEqual({ ok: false, reason: expect.stringMatching(/not healthy within 30 s/) });
    expect(!r.ok && r.reason).toMatch(/gateway reconnecting \(was connected\)/);
  });

  it('does not ask for more than held before the update', () => {
    const before = { status: 'degraded', gateway: 'down', media: null };
    expect(unhealthyReason(job('', before), { version: '0.2.0', status: 'degraded' })).toBeNull();
    expect(unhealthyReason(job('', before), { version: '0.1.0', status: 'ok' })).toMatch(/answers version 0\.1\.0/);
    expect(unhealthyReason(job(''), { ...base, media: { health: { state: 'offline' } } })).toMatch(/media worker offline/);
  });
});
