// The ScenarioContext (chaos/scenario.ts) over a running Hearing and the link's controls.
import { spawn } from 'node:child_process';
import type { Hearing } from './hearing.js';
import { windowOf } from './measure.js';
import type { Impairment, LinkControl, LinkStats, ScenarioContext, Where } from './scenario.js';
import { setRate, type Topology } from './topology.js';
import { until } from './until.js';

export function linkControl(t: Topology, h: Hearing): LinkControl {
  const post = async (body: object) => {
    const r = await h.relayApi('/impair', { method: 'POST', body: JSON.stringify(body) });
    if (r.status !== 200) throw new Error(`relay: ${r.status}`);
  };
  return {
    impair: (i: Impairment) => post(i),
    rate: async (kbit) => setRate(t, kbit),
    down: () => post({ down: true }),
    up: () => post({ down: false }),
    clear: async () => {
      setRate(t, null);
      await post({ lossPct: 0, delayMs: 0, jitterMs: 0, reorderPct: 0, down: false });
    },
    stats: async () => {
      const j = (await (await h.relayApi('/stats')).json()) as LinkStats;
      return { up: j.up, down: j.down };
    },
  };
}

export function createContext(
  t: Topology,
  h: Hearing,
  o: { seed: number; log: (s: string) => void; abort: AbortSignal; fast: boolean },
): ScenarioContext & { fast: boolean } {
  const t0 = performance.now();
  return {
    procs: h.procs,
    paths: h.paths,
    hearing: { id: h.hearingId, roomId: h.roomId },
    roomApi: h.roomApi,
    hubApi: h.hubApi,
    sims: h.sims,
    exec: (where: Where, cmd: string, args: string[]) =>
      new Promise((resolve) => {
        const c = spawn('ip', ['netns', 'exec', where === 'room' ? t.ns.room : t.ns.hub, cmd, ...args], {
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        c.stdout.on('data', (d) => (stdout += d));
        c.stderr.on('data', (d) => (stderr += d));
        c.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
      }),
    link: linkControl(t, h),
    viewer: {
      samples: () => h.samples,
      fps: (from: number, to: number) => windowOf(h.samples, from, to).fps,
    },
    seed: o.seed,
    fast: o.fast,
    log: o.log,
    mark(label: string) {
      const now = performance.now();
      o.log(`mark ${label} at +${((now - t0) / 1000).toFixed(1)} s`);
      return now;
    },
    hold: (ms: number) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        o.abort.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve();
        });
      }),
    until,
  };
}
