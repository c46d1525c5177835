// Process faults (issue 12, part Q): kill -9 of each process in turn, all room processes at once (a power
// cut), the hub down 60 s and 10 min. Each ends with the hearing resuming by itself; the runner then
// checks the recording (project verifier + ffprobe + sha256) and the manifest's gaps.
// Targets from the issue: hub kill → live hearing back ≤ 5 s; gateway or worker kill → frames ≤ 3 s.
import { recordingGoesOn, roomHealth, seenWithin } from '../faults/room-checks.js';
import type { ProcName, Scenario, ScenarioCheck, ScenarioContext, ScenarioOutcome } from '../scenario.js';
import { descendantsOf } from '../proc.js';

/** kill -9 one process; restart it (the worker is restarted by its daemon); the runner measures the return. */
function killOne(name: ProcName, title: string, recoveryMaxMs: number, fast = false): Scenario {
  return {
    name: `kill-${name}`,
    title,
    fast,
    async run(ctx) {
      const before = ctx.procs[name].pid();
      ctx.log(`${name} pid ${before}: SIGKILL`);
      const killedAtWall = Date.now(); // the gateway's `since` is wall-clock (same box, same clock)
      const faultStart = ctx.mark(`kill -9 ${name}`);
      await ctx.procs[name].kill('SIGKILL');
      await ctx.procs[name].restart();
      const faultEnd = ctx.mark(`${name} back (pid ${ctx.procs[name].pid()})`);
      const backAtWall = Date.now();
      const checks: ScenarioCheck[] = [
        { name: `${name} has a new pid`, ok: ctx.procs[name].pid() !== undefined && ctx.procs[name].pid() !== before },
      ];
      // Where the seconds go: the room's link back (a new WS + publish connection) before the viewer's picture.
      if (name === 'hub' || name === 'gateway') checks.push(await linkBack(ctx, killedAtWall, backAtWall, recoveryMaxMs));
      if (name !== 'hub') checks.push(await recordingGoesOn(ctx, 'recording goes on (2 new segments)', 15_000, 2, 60_000));
      return {
        faultStart,
        faultEnd,
        checks,
        expect: { recoveryMaxMs },
        notes: [`${name}: pid ${before} → ${ctx.procs[name].pid()}, restart ${Math.round(faultEnd - faultStart)} ms`],
      };
    },
  };
}

/**
 * The room's link to the hub connected again after the kill: a `connected` state the gateway entered after the
 * kill (its `since`, read through the daemon's health as the kiosk reads it). The figure is the gateway's own
 * time of that state from the restarted process's ready line — not when the runner saw it: the daemon's health
 * answered seconds late at load 30 (seen: 9.4 s for a link connected 4.1 s after the hub was ready).
 */
async function linkBack(ctx: ScenarioContext, killedAtWall: number, backAtWall: number, targetMs: number): Promise<ScenarioCheck> {
  const name = 'room link to the hub connected again';
  const seen = await seenWithin(
    ctx,
    `${name} (seen through the daemon)`,
    60_000,
    async () => {
      const g = (await roomHealth(ctx))?.gateway;
      return g?.state === 'connected' && Date.parse(g.since) >= killedAtWall && g;
    },
    { ceilingMs: 60_000 },
  );
  if (!seen.value) return { name, ok: false, detail: seen.detail };
  const ms = Math.max(0, Date.parse(seen.value.since) - backAtWall);
  ctx.log(`${name}: ${ms} ms after the process was back (gateway's clock; target ≤ ${targetMs} ms)`);
  return { name, ok: ms <= targetMs, detail: `${(ms / 1000).toFixed(1)} s (≤ ${targetMs / 1000} s)` };
}

const ROOM: ProcName[] = ['sim', 'daemon', 'worker', 'gateway'];

const powerCut: Scenario = {
  name: 'power-cut',
  title: 'Mất điện phòng: kill -9 mọi tiến trình phòng cùng lúc / room power cut: every room process kill -9 at once',
  async run(ctx) {
    const pids = Object.fromEntries(ROOM.map((n) => [n, ctx.procs[n].pid()]));
    ctx.log(`power cut: ${JSON.stringify(pids)}`);
    const faultStart = ctx.mark('power cut');
    // At once: the signals go out before any exit is awaited — to their children too (the simulators' socat ptys
    // and RTSP server outlived a kill of their parent alone and were left running after the run).
    const children = ROOM.flatMap((n) => descendantsOf(ctx.procs[n].pid()));
    for (const c of children) {
      try {
        process.kill(c, 'SIGKILL');
      } catch {
        /* gone already */
      }
    }
    await Promise.all(ROOM.map((n) => ctx.procs[n].kill('SIGKILL')));
    const dead = ROOM.filter((n) => !ctx.procs[n].alive());
    // Boot order of the box: devices first, then the daemon (which forks its worker), then the gateway.
    await ctx.procs.sim.restart();
    await ctx.procs.daemon.restart();
    await Promise.all([ctx.procs.worker.restart(), ctx.procs.gateway.restart()]);
    const faultEnd = ctx.mark('room processes back');
    const checks: ScenarioCheck[] = [
      { name: 'all room processes were down', ok: dead.length === ROOM.length, detail: `down: ${dead.join(', ')}` },
      await recordingGoesOn(ctx, 'recording resumes (2 new segments)', 20_000, 2, 90_000),
      await seenWithin(ctx, 'room health answers with the hearing recording', 20_000, async () => {
        const h = await roomHealth(ctx);
        return h?.recording?.state === 'recording' && h.recording.hearing;
      }),
    ];
    return {
      faultStart,
      faultEnd,
      checks,
      expect: { recoveryMaxMs: 20_000 },
      notes: [`boot of the room's processes ${Math.round(faultEnd - faultStart)} ms`],
    };
  },
};

function hubDown(seconds: number, long: boolean): Scenario {
  return {
    name: `hub-down-${seconds < 120 ? `${seconds}s` : `${seconds / 60}min`}`,
    title: `Trung tâm ngừng ${seconds >= 120 ? `${seconds / 60} phút` : `${seconds} s`} / hub down ${seconds >= 120 ? `${seconds / 60} min` : `${seconds} s`}`,
    long,
    afterMs: 15_000,
    async run(ctx): Promise<ScenarioOutcome> {
      const faultStart = ctx.mark(`hub down ${seconds} s`);
      await ctx.procs.hub.kill('SIGKILL');
      const checks: ScenarioCheck[] = [];
      // The room tells: its gateway leaves "connected" (kiosk and technician see the link down).
      checks.push(
        await seenWithin(ctx, 'room shows the hub link lost ≤ 10 s', 10_000, async () => {
          const g = (await roomHealth(ctx))?.gateway?.state;
          return g !== undefined && g !== 'connected' && g;
        }),
      );
      // The hearing goes on locally: the recorder keeps entering segments while the hub is away.
      checks.push(await recordingGoesOn(ctx, 'room records on while the hub is away (3 new segments)', 20_000, 3, 40_000));
      const elapsed = performance.now() - faultStart;
      await ctx.hold(Math.max(0, seconds * 1000 - elapsed));
      await ctx.procs.hub.restart();
      const faultEnd = ctx.mark('hub back');
      checks.push(
        await seenWithin(
          ctx,
          'room link connected again ≤ 10 s',
          10_000,
          async () => (await roomHealth(ctx))?.gateway?.state === 'connected',
          { ceilingMs: 60_000 },
        ),
      );
      return { faultStart, faultEnd, checks, expect: { recoveryMaxMs: 10_000 } };
    },
  };
}

export const scenarios: Scenario[] = [
  killOne('hub', 'kill -9 trung tâm (hub) rồi khởi động lại / hub kill -9 and restart', 5_000, true),
  killOne('daemon', 'kill -9 daemon phòng (systemd khởi động lại) / room daemon kill -9', 10_000),
  killOne('worker', 'kill -9 tiến trình media / media worker kill -9', 3_000, true),
  killOne('gateway', 'kill -9 gateway / gateway kill -9', 3_000),
  powerCut,
  hubDown(60, false),
  hubDown(600, true),
];
