// Disk faults on the room's recordings (issue 12, part Q): the disk full and freed again (a small tmpfs
// on the recordings dir, filled to the last byte), the recordings directory read-only and writable again.
// While the room cannot record it must say so on the kiosk (GET /api/v1/health `recording.alarm`, what the
// kiosk's recording notice shows) and at the hub (fleet view of the room) within 10 s; afterwards it
// records again by itself, the hole is a manifest gap with its reason, and the archive verifies.
import { isAbsolute, join } from 'node:path';
import { GAP_REASONS } from '../../common/evidence/entry-schema.js';
import { createDiskFull, createReadOnly, diskSpace, type Exec, inMountNamespaceOf } from '../faults/disk.js';
import { hubRoom, recordingGoesOn, roomHealth, seenWithin } from '../faults/room-checks.js';
import type { Scenario, ScenarioCheck, ScenarioContext, ScenarioOutcome } from '../scenario.js';

/** Commands in the daemon's mount namespace (the one its media worker writes in). */
const daemonNs = (ctx: ScenarioContext): Exec => inMountNamespaceOf(() => ctx.procs.daemon.pid());

/** The recording's manifest gap entries (reason and detail), read in the daemon's namespace. */
async function manifestGaps(ctx: ScenarioContext, exec: Exec): Promise<{ reason: string; start: string; end: string }[] | undefined> {
  const dir = (await roomHealth(ctx))?.recording?.dir;
  if (!dir) return undefined;
  const r = await exec('cat', [join(isAbsolute(dir) ? dir : join(ctx.paths.recordings, dir), 'manifest.jsonl')]);
  if (r.code !== 0) return undefined;
  return r.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { kind: string; reason: string; start: string; end: string })
    .filter((e) => e.kind === 'gap');
}

async function alarmChecks(ctx: ScenarioContext, reason: RegExp, from: number): Promise<ScenarioCheck[]> {
  const [room, hub] = await Promise.all([
    seenWithin(
      ctx,
      'kiosk shows the recording alarm ≤ 10 s',
      10_000,
      async () => {
        const a = (await roomHealth(ctx))?.recording?.alarm;
        return a && reason.test(a.reason) && a.reason;
      },
      { from, ceilingMs: 60_000 },
    ),
    seenWithin(
      ctx,
      'hub shows the room not recording ≤ 10 s',
      10_000,
      async () => {
        const a = (await hubRoom(ctx))?.health?.recording?.alarm;
        return a && reason.test(a.reason) && a.reason;
      },
      { from, ceilingMs: 60_000 },
    ),
  ]);
  return [room, hub];
}

const diskFull: Scenario = {
  name: 'disk-full',
  title: 'Ổ ghi hình đầy 20 s rồi được giải phóng / recordings disk full for 20 s, then freed',
  setup: { recordingsTmpfsMb: 256 },
  afterMs: 15_000,
  async run(ctx): Promise<ScenarioOutcome> {
    const exec = daemonNs(ctx);
    const space = await diskSpace(exec, ctx.paths.recordings);
    // Never fill a real disk: only the small tmpfs the runner mounted for this scenario.
    if (space.sizeBytes > 2 * 1024 ** 3) {
      const t = performance.now();
      return {
        faultStart: t,
        faultEnd: t,
        checks: [
          {
            name: 'recordings on a small tmpfs',
            ok: false,
            detail: `${ctx.paths.recordings} is ${space.sizeBytes} bytes: refused to fill it`,
          },
        ],
      };
    }
    const full = createDiskFull(exec, ctx.paths.recordings);
    const faultStart = ctx.mark('disk full');
    const took = await full.fill();
    ctx.log(`filler ${took} bytes, ${(await diskSpace(exec, ctx.paths.recordings)).availBytes} left`);
    const checks = await alarmChecks(ctx, /disk-full|write-error/, faultStart);
    await ctx.hold(Math.max(0, 20_000 - (performance.now() - faultStart)));
    await full.free();
    const faultEnd = ctx.mark('disk freed');
    checks.push(...(await recordsAgain(ctx, exec, faultEnd, 'after the disk is freed', 'disk-full')));
    // The live hearing does not depend on the disk: the viewer keeps its frames.
    return { faultStart, faultEnd, checks, expect: { minFpsDuring: 15 }, notes: [`tmpfs ${Math.round(space.sizeBytes / 2 ** 20)} MiB`] };
  },
};

const readOnly: Scenario = {
  name: 'recordings-readonly',
  title: 'Thư mục ghi hình chỉ đọc 20 s / recordings directory read-only for 20 s',
  afterMs: 15_000,
  async run(ctx): Promise<ScenarioOutcome> {
    const exec = daemonNs(ctx);
    const ro = createReadOnly(exec, ctx.paths.recordings);
    const faultStart = ctx.mark('recordings read-only');
    let checks: ScenarioCheck[] = [];
    try {
      await ro.set();
      checks = await alarmChecks(ctx, /write-error|disk-full/, faultStart);
      await ctx.hold(Math.max(0, 20_000 - (performance.now() - faultStart)));
    } finally {
      await ro.clear();
    }
    const faultEnd = ctx.mark('recordings writable again');
    checks.push(...(await recordsAgain(ctx, exec, faultEnd, 'when writable', new RegExp(`^(${GAP_REASONS.join('|')})$`))));
    return { faultStart, faultEnd, checks, expect: { minFpsDuring: 15 } };
  },
};

/** After the fault: recording resumes, the alarm clears, and the hole is a manifest gap with the expected reason. */
async function recordsAgain(
  ctx: ScenarioContext,
  exec: Exec,
  faultEnd: number,
  when: string,
  reason: string | RegExp,
): Promise<ScenarioCheck[]> {
  const resumes = await recordingGoesOn(ctx, `recording resumes ${when} (2 segments) ≤ 15 s`, 15_000, 2, 60_000);
  const cleared = await seenWithin(
    ctx,
    'alarm cleared at the kiosk ≤ 15 s',
    15_000,
    async () => (await roomHealth(ctx))?.recording?.alarm === null,
    {
      from: faultEnd,
      ceilingMs: 60_000,
    },
  );
  const gaps = await manifestGaps(ctx, exec);
  const expected = (r: string) => (typeof reason === 'string' ? r === reason : reason.test(r));
  const gap = {
    name: `manifest has a gap with its reason (${reason})`,
    ok: !!gaps?.some((g) => expected(g.reason)),
    detail: gaps ? gaps.map((g) => `${g.reason} ${g.start}→${g.end}`).join('; ') || 'no gaps' : 'manifest not read',
  };
  return [resumes, cleared, gap];
}

export const scenarios: Scenario[] = [diskFull, readOnly];
