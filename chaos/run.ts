// `npm run chaos [-- --only a,b] [--fast] [--quick] [--one-lane] [--seed N] [--no-docs] [--json FILE]` (as root).
// Per scenario: a fresh link (chaos/topology.ts), a real hearing (chaos/hearing.ts), a baseline, the
// scenario's fault, recovery, the hearing ended, its recording verified twice (chaos/verify.ts), one table
// row (chaos/table.ts) into docs/RELIABILITY.md. --fast: the scenarios marked fast (the e2e subset);
// --quick: all but the long ones, which otherwise run on a second link beside the others, which then takes
// the rest of the list from its end (--one-lane: one after the other). Everything the runner made (namespaces, veths, mounts, processes) is removed on exit, also on
// failure and on Ctrl-C.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { createContext } from './context.js';
import { CLI, type Cleanups, startHearing, type Hearing } from './hearing.js';
import { judge, recoveryMs, windowOf, type Window } from './measure.js';
import { DEFAULT_EXPECT, type ProcName, type Scenario, type ScenarioModule, type ScenarioOutcome } from './scenario.js';
import { EMPTY_DOC, mergeTable, type Row } from './table.js';
import { createTopology, removeNamespaces, removeTopology, staleNamespaces, topologyNames } from './topology.js';
import { until } from './until.js';
import { verifyDir, type Verdict } from './verify.js';

const DOC = resolve('docs/RELIABILITY.md');
/** What a Ctrl-C must take down: each running scenario's hearing (its processes, mounts) and its namespaces. */
const active = new Set<{ t: ReturnType<typeof topologyNames>; cleanups: Cleanups }>();

export async function loadScenarios(): Promise<Scenario[]> {
  const dir = resolve('chaos/scenarios');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .sort((a, b) => (a === 'network.ts' ? -1 : b === 'network.ts' ? 1 : a.localeCompare(b)));
  const out: Scenario[] = [];
  for (const f of files) out.push(...((await import(pathToFileURL(join(dir, f)).href)) as ScenarioModule).scenarios);
  return out;
}

export interface Result {
  scenario: string;
  ok: boolean;
  failures: string[];
  before?: Window;
  during?: Window;
  after?: Window;
  recoveryMs: number | null;
  verdicts: Verdict[];
  notes: string[];
  row: Row;
  error?: string;
}

const fmtW = (w?: Window) =>
  !w || !w.seconds
    ? '—'
    : `${w.fps} fps; ${w.frozenS} s frozen; audio gap ≤ ${w.maxAudioGapMs >= 1000 ? `${(w.maxAudioGapMs / 1000).toFixed(1)} s` : `${w.maxAudioGapMs} ms`}`;

function gapsText(v: Verdict[]): string {
  const room = v[0];
  if (!room) return '—';
  if (!room.gaps.length) return 'none';
  const by = new Map<string, { n: number; ms: number }>();
  for (const g of room.gaps) {
    const e = by.get(g.reason) ?? { n: 0, ms: 0 };
    e.n++;
    e.ms += g.ms;
    by.set(g.reason, e);
  }
  return [...by].map(([r, e]) => `${e.n}× ${r} (${(e.ms / 1000).toFixed(1)} s)`).join(', ');
}

function verificationText(v: Verdict[]): string {
  if (!v.length) return 'not run';
  return v
    .map((x) => {
      const where = x.dir.includes('/archive/') ? 'archive' : 'room';
      const ind = x.independent.ok
        ? `ffprobe+sha256 ok (${x.independent.segments} seg)`
        : `independent: ${x.independent.problems.slice(0, 2).join('; ')}`;
      return `${where}: ${x.project.ok ? 'verify ok' : `verify: ${x.project.detail}`} · ${ind}${x.closed ? '' : ' · not closed'}`;
    })
    .join('; ');
}

async function runOne(s: Scenario, o: { seed: number; fast: boolean; lane: string; log: (m: string) => void }): Promise<Result> {
  const t = topologyNames(process.pid, o.lane);
  const mine = { t, cleanups: [] as Cleanups };
  const dir = `/tmp/chaos-p-${process.pid}-${s.name}`;
  const notes: string[] = [];
  let h: Hearing | undefined;
  const abort = new AbortController();
  const date = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const empty = (error: string): Result => ({
    scenario: s.name,
    ok: false,
    failures: [error],
    recoveryMs: null,
    verdicts: [],
    notes,
    error,
    row: {
      name: s.name,
      fault: s.title,
      before: '—',
      during: '—',
      after: '—',
      recovery: '—',
      gaps: '—',
      verification: 'not run',
      result: `**FAIL**: ${error}`,
      notes: notes.join('; '),
      date,
    },
  });
  try {
    active.add(mine);
    createTopology(t);
    h = await startHearing(t, dir, { seed: o.seed, setup: s.setup, log: o.log, cleanups: mine.cleanups });
    const ctx = createContext(t, h, { seed: o.seed, log: o.log, abort: abort.signal, fast: o.fast });
    const samples = h.samples;
    // a moving picture first: three seconds in a row at ≥ 8 frames (the baseline itself is measured and shown)
    await until(() => samples.length >= 3 && samples.slice(-3).every((x) => x.frames >= 8), {
      timeoutMs: 180_000,
      what: 'media at the viewer (3 s at ≥ 8 fps)',
    });
    await ctx.hold(s.baselineMs ?? 8000);
    const baseEnd = performance.now();
    o.log(`fault: ${s.title}`);
    notes.push(`load avg ${loadavg()[0]!.toFixed(1)} at the fault`);
    const outcome: ScenarioOutcome = await Promise.race([
      s.run(ctx),
      new Promise<never>((_, rej) => setTimeout(() => rej(new Error('scenario timed out (20 min)')), 20 * 60_000).unref()),
    ]);
    const expect = { ...DEFAULT_EXPECT, ...(outcome.expect ?? {}) };
    notes.push(...(outcome.notes ?? []));
    // whatever the scenario killed and did not mean to leave down comes back, as systemd would bring it
    for (const name of ['hub', 'sim', 'daemon', 'gateway'] as ProcName[])
      if (!h.procs[name].alive() && !outcome.keepDown?.includes(name)) {
        o.log(`restarting ${name}`);
        await h.procs[name].restart();
      }
    await ctx.link.clear();
    const rec = await until(() => recoveryMs(samples, outcome.faultEnd, expect.recoveredFps) ?? undefined, {
      timeoutMs: 90_000,
      what: 'media back at the viewer',
    }).catch(() => null);
    const recovered = rec === null ? null : rec;
    const afterFrom = recovered === null ? performance.now() : outcome.faultEnd + recovered + 2000;
    await ctx.hold(Math.max(0, afterFrom + (s.afterMs ?? 10_000) - performance.now()));
    const before = windowOf(samples, baseEnd - (s.baselineMs ?? 8000), baseEnd);
    const during = windowOf(samples, outcome.faultStart, outcome.faultEnd);
    const after = windowOf(samples, afterFrom, afterFrom + (s.afterMs ?? 10_000));
    const linkStats = await ctx.link.stats().catch(() => null);
    if (linkStats && (linkStats.up.dropped || linkStats.down.dropped))
      notes.push(
        `relay dropped ${linkStats.up.dropped} up / ${linkStats.down.dropped} down of ${linkStats.up.passed + linkStats.up.dropped} / ${linkStats.down.passed + linkStats.down.dropped} pkts`,
      );

    // end the hearing, let the room close and upload, verify both copies
    const verdicts = await endAndVerify(h, o.log);
    const verified = verdicts.length > 0 && verdicts.every((v) => v.project.ok && v.independent.ok && v.closed);
    const j = judge(expect, { during, after, recoveryMs: recovered, verified, checks: outcome.checks ?? [] });
    for (const c of outcome.checks ?? []) notes.push(`${c.ok ? '✓' : '✗'} ${c.name}${c.detail ? `: ${c.detail}` : ''}`);
    const row: Row = {
      name: s.name,
      fault: s.title,
      before: fmtW(before),
      during: fmtW(during),
      after: fmtW(after),
      recovery: recovered === null ? 'not back in 90 s' : recovered < 1000 ? '< 1 s' : `${(recovered / 1000).toFixed(1)} s`, // per-second samples
      gaps: gapsText(verdicts),
      verification: verificationText(verdicts),
      result: j.ok ? 'pass' : `**FAIL**: ${j.failures.join('; ')}`,
      notes: notes.join('; '),
      date,
    };
    return { scenario: s.name, ok: j.ok, failures: j.failures, before, during, after, recoveryMs: recovered, verdicts, notes, row };
  } catch (err) {
    o.log(`error: ${(err as Error).stack}`);
    return empty((err as Error).message.split('\n')[0]!.slice(0, 200));
  } finally {
    abort.abort();
    await h?.stop();
    removeTopology(t);
    active.delete(mine);
  }
}

export async function endAndVerify(h: Hearing, log: (m: string) => void): Promise<Verdict[]> {
  const res = await h.hubApi(`/api/v1/hearings/${h.hearingId}/end`, { method: 'POST' });
  if (res.status !== 200) log(`ending the hearing: ${res.status}`);
  const name = `${h.hearingId}.${h.roomId}`;
  const roomDir = join(h.paths.recordings, name);
  const archiveDir = join(h.paths.archive, name);
  const closed = (d: string) =>
    existsSync(join(d, 'manifest.jsonl')) && readFileSync(join(d, 'manifest.jsonl'), 'utf8').includes('"kind":"close"');
  await until(() => closed(roomDir), { timeoutMs: 60_000, what: 'the room closing its manifest' }).catch((e: Error) => log(e.message));
  // the archive copy: once the room uploaded every file (the hub appends to it as files arrive)
  const sameManifest = () =>
    existsSync(join(archiveDir, 'manifest.jsonl')) &&
    readFileSync(join(archiveDir, 'manifest.jsonl'), 'utf8') === readFileSync(join(roomDir, 'manifest.jsonl'), 'utf8');
  await until(sameManifest, { timeoutMs: 90_000, what: 'the archive copy complete' }).catch((e: Error) => log(e.message));
  const registry = join(h.paths.run, 'registry-export.json');
  writeFileSync(registry, await (await h.hubApi('/api/v1/registry/export')).text());
  const out = [await verifyDir(CLI, roomDir, registry, h.paths.roomState)];
  if (existsSync(archiveDir)) out.push(await verifyDir(CLI, archiveDir, registry, h.paths.roomState));
  return out;
}

const LEGEND = `
Each row: one scenario of \`npm run chaos\` with real processes — hub in its own network namespace, the room (simulators,
daemon + media worker, gateway) in another, reaching the hub only through the impairment relay (chaos/relay: TCP and UDP,
seeded loss, delay ± jitter, reordering, blackout) with \`tc tbf\` rate caps on the veths. A werift WHEP viewer at the hub
counts frames that a decoder could show (every packet of the frame and an unbroken reference chain since the last IDR), audio
packets and gaps. Before/During/After: median frames per second; seconds with no frame; longest gap between audio packets.
Recovery: from the end of the fault to the first of two seconds at ≥ 10 fps (per-second samples: "< 1 s" = already
in the first second). Gaps: the room manifest's \`gap\` entries.
Verification: \`reception verify\` against the hub-signed registry export, and an independent check (ffprobe on every
segment, sha256 and size of every file against manifest.jsonl, no unlisted segment), on the room copy and the archive copy.
A failing row is a known defect; its cause is in the text below the table.
`;

async function main() {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      fast: { type: 'boolean', default: false },
      quick: { type: 'boolean', default: false },
      seed: { type: 'string', default: '12' },
      'no-docs': { type: 'boolean', default: false },
      json: { type: 'string' },
      list: { type: 'boolean', default: false },
      'one-lane': { type: 'boolean', default: false },
    },
  });
  const all = await loadScenarios();
  if (values.list) {
    for (const s of all) process.stdout.write(`${s.name}${s.fast ? ' (fast)' : ''}${s.long ? ' (long)' : ''}  ${s.title}\n`);
    return;
  }
  if (process.getuid?.() !== 0) throw new Error('npm run chaos needs root (network namespaces, veth, tc)');
  if (!existsSync(CLI)) throw new Error(`${CLI} missing: npx tsc -p tsconfig.json first`);
  removeNamespaces(staleNamespaces()); // left by a runner that was killed
  const only = values.only?.split(',').map((s) => s.trim());
  const unknown = only?.filter((n) => !all.some((s) => s.name === n)) ?? [];
  if (unknown.length) throw new Error(`unknown scenario(s): ${unknown.join(', ')} (--list)`);
  const chosen = all.filter((s) => (only ? only.includes(s.name) : values.fast ? s.fast : values.quick ? !s.long : true));
  const seed = Number(values.seed);
  const results: Result[] = [];
  const t0 = performance.now();
  const stop = () => {
    void (async () => {
      for (const a of active) for (const c of a.cleanups.splice(0).reverse()) await Promise.resolve(c()).catch(() => undefined);
    })().finally(() => {
      for (const a of active) removeTopology(a.t);
      process.exit(130);
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const runAndRecord = async (s: Scenario, laneId: string) => {
    const started = performance.now();
    const log = (m: string) => process.stderr.write(`[chaos ${s.name} +${((performance.now() - started) / 1000).toFixed(1)}s] ${m}\n`);
    const r = await runOne(s, { seed, fast: values.fast, lane: laneId, log });
    results.push(r);
    process.stdout.write(`${r.ok ? 'PASS' : 'FAIL'} ${s.name} (${((performance.now() - started) / 1000).toFixed(0)} s): ${r.row.result}\n`);
    if (!values['no-docs']) {
      const doc = existsSync(DOC) ? readFileSync(DOC, 'utf8') : EMPTY_DOC;
      writeFileSync(
        DOC,
        mergeTable(
          doc,
          [r.row],
          all.map((x) => x.name),
          LEGEND,
        ),
      );
    }
  };
  // A long scenario (the hub down 10 min: the room records alone, the box is nearly idle) runs on a second link
  // beside the others; once done, that link takes the rest from the end of the list (process and hub faults — the
  // network scenarios, whose figures a busier box would blur, are at the front and run first on the first link).
  // So the whole run stays well within 30 min (31.2 min with the second link idle after its one scenario); the
  // load at each fault is in its row. --one-lane: one after the other.
  const long = values['one-lane'] ? [] : chosen.filter((s) => s.long);
  const queue = chosen.filter((s) => !long.includes(s));
  const fromFront = async () => {
    for (let s = queue.shift(); s; s = queue.shift()) await runAndRecord(s, '');
  };
  const secondLink = async () => {
    for (const s of long) await runAndRecord(s, 'b');
    for (let s = queue.pop(); s; s = queue.pop()) await runAndRecord(s, 'b');
  };
  await Promise.all([fromFront(), long.length ? secondLink() : Promise.resolve()]);
  process.stdout.write(
    `chaos: ${results.filter((r) => r.ok).length}/${results.length} passed in ${((performance.now() - t0) / 60000).toFixed(1)} min\n`,
  );
  if (values.json) writeFileSync(values.json, JSON.stringify(results, null, 2));
  process.exitCode = results.every((r) => r.ok) ? 0 : 1;
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href)
  main().catch((err) => {
    process.stderr.write(`chaos: ${(err as Error).message}\n`);
    for (const a of active) removeTopology(a.t);
    process.exit(2);
  });
