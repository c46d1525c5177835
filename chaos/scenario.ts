// The chaos runner's scenario contract (issue 12). `npm run chaos` (as root) builds, per scenario, a
// running hearing across three network namespaces, hands it to the scenario's `run`, then measures
// and verifies what happened. Part Q's fault scenarios (chaos/scenarios/faults-*.ts) plug in here.
//
//   room ns  (sim, daemon + media worker, gateway)  ──veth──  relay ns (impairment relay)  ──veth──  hub ns (hub, viewer)
//
// The room reaches the hub ONLY through the relay (no routing in the relay namespace): TCP to the hub's
// port and UDP to its ICE ports (hub `ice.portMin..portMax`, announced with the relay's address as an
// extra host candidate). Rate caps are `tc tbf` on both veth ends facing the room; loss, delay ± jitter,
// reordering, blackout and flapping come from the relay (seeded PRNG). Names: chz-p-<pid>-{room,relay,hub}.
//
// WHAT A SCENARIO GETS (`ScenarioContext`), valid during `run` only:
// - `procs`: the hearing's processes: hub, daemon, worker (the daemon's media worker), gateway, sim.
//   `pid()` (undefined when not running), `kill(signal)` (waits for the exit), `restart()` (same config,
//   same namespace, waits for its ready line; `worker` is restarted by the daemon, so its restart() only
//   waits for a new worker pid), `alive()`, `logFile`. A process the scenario killed and did not restart
//   is restarted by the runner before the after-window (a scenario that wants it down says so by
//   returning before the end of its fault and leaving `keepDown`).
// - `paths`: run dir, room dir, room config file, room state dir, recordings dir (the daemon's
//   paths.recordings), hub state dir, hub archive dir, log files.
// - `roomApi(path, init)` / `hubApi(path, init)`: fetch into the room's daemon (technician token) and the
//   hub (loopback officer) inside their namespaces (through a unix-socket bridge: no network shortcut).
// - `sims(path, init)`: the room simulators' control server (GET /sims lists controls; part Q adds more).
// - `exec(where, cmd, args)`: run a command inside the room or hub namespace (e.g. mount a tmpfs, faketime).
// - `link`: the room ↔ hub link: `impair({ lossPct, delayMs, jitterMs, reorderPct })`, `rate(kbit | null)`,
//   `down()` / `up()` (blackout: every packet both ways dropped, TCP stalls but is not reset), `clear()`,
//   `stats()` (packets/bytes passed and dropped per direction).
// - `viewer`: the WHEP viewer at the hub: `fps(fromMs, toMs)`, `samples()` (one per second: frames decoded,
//   audio packets, max audio gap); the runner reads it, scenarios may too.
// - `hearing`: { id, roomId }; `mark(label)`: a timestamp note in the scenario log; `log(msg)`;
//   `until(cond, { timeoutMs, what })`: wait on a condition (never a fixed sleep, except the fault's own
//   durations via `hold(ms)`, which ends early if the run is aborted); `seed`: the run's PRNG seed.
//
// WHAT A SCENARIO RETURNS (`ScenarioOutcome`):
// - `faultStart` / `faultEnd`: performance.now() times bounding the fault (the runner measures "during"
//   between them, "recovery" from faultEnd to the viewer's first second at ≥ `recoveredFps` fps, and
//   "after" over the `afterMs` window that follows recovery).
// - `checks`: extra named pass/fail results of the scenario's own (e.g. "kiosk says disk full ≤ 10 s").
// - `expect`: what passing means for this scenario (defaults in DEFAULT_EXPECT), e.g. a disk-full
//   scenario may declare `verifies: false` with `reason`, and a minimum fps during the fault.
// - `notes`: free text for the table's notes column.
// The runner then: stops the hearing, lets the room upload, runs the project's verifier (`reception
// verify`) on the room's recordings AND an independent check (ffprobe on every segment, sha256 of every
// file against manifest.jsonl), reads the manifest's gap entries, and writes the row.

export type Where = 'room' | 'hub';
export type ProcName = 'hub' | 'daemon' | 'worker' | 'gateway' | 'sim';

export interface ChaosProcess {
  readonly name: ProcName;
  readonly logFile: string;
  pid(): number | undefined;
  alive(): boolean;
  kill(signal?: NodeJS.Signals): Promise<void>;
  restart(): Promise<void>;
}

export interface Impairment {
  lossPct?: number;
  delayMs?: number;
  jitterMs?: number;
  reorderPct?: number;
}

export interface LinkStats {
  up: { passed: number; dropped: number; bytes: number };
  down: { passed: number; dropped: number; bytes: number };
}

export interface LinkControl {
  impair(i: Impairment): Promise<void>;
  rate(kbit: number | null): Promise<void>;
  down(): Promise<void>;
  up(): Promise<void>;
  clear(): Promise<void>;
  stats(): Promise<LinkStats>;
}

export interface ViewerSample {
  /** performance.now() of the runner at the end of this second. */
  t: number;
  frames: number;
  audioPackets: number;
  /** Longest gap between audio packets within this second (ms). */
  maxAudioGapMs: number;
  connected: boolean;
}

export interface ViewerControl {
  samples(): ViewerSample[];
  fps(fromMs: number, toMs: number): number;
}

export interface ChaosPaths {
  run: string;
  room: string;
  roomConfig: string;
  roomState: string;
  recordings: string;
  hubState: string;
  archive: string;
}

export interface ScenarioContext {
  procs: Record<ProcName, ChaosProcess>;
  paths: ChaosPaths;
  hearing: { id: string; roomId: string };
  roomApi(path: string, init?: RequestInit): Promise<Response>;
  hubApi(path: string, init?: RequestInit): Promise<Response>;
  sims(path: string, init?: RequestInit): Promise<Response>;
  exec(where: Where, cmd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  link: LinkControl;
  viewer: ViewerControl;
  seed: number;
  /** True in the `--fast` subset (inside `npm test`): a scenario may shorten its fault (say so in notes). */
  fast?: boolean;
  log(msg: string): void;
  mark(label: string): number;
  hold(ms: number): Promise<void>;
  until<T>(cond: () => T | Promise<T>, o: { timeoutMs: number; what: string; everyMs?: number }): Promise<NonNullable<T>>;
}

export interface ScenarioExpect {
  /** The viewer's median fps during the fault must be at least this (0: not required). */
  minFpsDuring: number;
  /** Recovery (fault end → first second at recoveredFps) within this many ms. */
  recoveryMaxMs: number;
  /** fps counting as "media back". */
  recoveredFps: number;
  /** The recording verifies (project verifier + ffprobe + sha256). */
  verifies: boolean;
  /** Longest audio gap during the fault allowed (ms); Infinity: not required. */
  maxAudioGapDuringMs: number;
}

export const DEFAULT_EXPECT: ScenarioExpect = {
  minFpsDuring: 0,
  recoveryMaxMs: 10_000,
  recoveredFps: 10,
  verifies: true,
  maxAudioGapDuringMs: Number.POSITIVE_INFINITY,
};

export interface ScenarioCheck {
  name: string;
  ok: boolean;
  detail?: string;
}

export interface ScenarioOutcome {
  faultStart: number;
  faultEnd: number;
  checks?: ScenarioCheck[];
  expect?: Partial<ScenarioExpect>;
  notes?: string[];
  /** Processes the scenario left down on purpose (the runner does not restart them). */
  keepDown?: ProcName[];
}

/** What the runner should prepare before the hearing starts. */
export interface ScenarioSetup {
  /** Mount a tmpfs of this many MiB on the recordings dir (disk-full scenarios). */
  recordingsTmpfsMb?: number;
  /** Extra environment for the room processes (e.g. LD_PRELOAD for faketime). */
  roomEnv?: Record<string, string>;
  /** Extra hub config keys, e.g. `turn` (tests/e2e/turn-hearing.test.ts). */
  hub?: Record<string, unknown>;
  /** false: the relay carries no UDP (a firewall that blocks UDP: media only through a TURN server over TCP). */
  relayUdp?: boolean;
}

export interface Scenario {
  /** `--only NAME`; kebab-case. */
  name: string;
  /** One line for the table (Vietnamese first, English second is fine). */
  title: string;
  /** In the `--fast` subset (runs inside `npm test`): keep it under ~60 s. */
  fast?: boolean;
  /** Only in the full run (not with `--quick`), e.g. the 10-minute hub outage. */
  long?: boolean;
  setup?: ScenarioSetup;
  /** Seconds of steady media measured before the fault (default 8). */
  baselineMs?: number;
  /** Window measured after recovery (default 10 s). */
  afterMs?: number;
  run(ctx: ScenarioContext): Promise<ScenarioOutcome>;
}

/** Scenario files export `scenarios: Scenario[]`; the runner loads chaos/scenarios/*.ts. */
export type ScenarioModule = { scenarios: Scenario[] };
