import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnReady, type ReadyChild } from '../../common/process/spawn-ready.js';
import { startNotifyListener, type NotifyListener } from '../../common/systemd/notify-listener.js';
import { freePort } from '../helpers/free-port.js';
import { CLI, json } from '../helpers/room-processes.js';
import { mediaWorkersOf } from '../helpers/room-writers.js';
import { until } from '../helpers/until.js';

// Issue 12 item 5: systemd's watchdog proven on the built hub, daemon and gateway with a real NOTIFY_SOCKET (a unix
// datagram socket bound here, common/systemd/notify-listener.ts). WATCHDOG_USEC=1 s, so a ping every 0.5 s:
// a silence past 1 s is what a unit with WatchdogSec=1 would kill. READY=1 names the process's pid, pings
// flow while it is healthy, stop while its event loop is blocked (the test-only fault hook: SIGUSR2 with
// RECEPTION_FAULT_HOOKS=1, common/systemd/fault-hooks.ts) and — the daemon — while its media worker cannot
// be brought back (killed as soon as it appears, for longer than RECEPTION_WATCHDOG_MEDIA_DOWN_SEC), resume
// when the fault ends (a real systemd would have restarted the process by then), and STOPPING=1 on SIGTERM.
// Figures are printed (a loaded 2-core box: only wide bounds are asserted).

const WATCHDOG_USEC = 1_000_000;
const BLOCK_MS = 6000;
const PING = 'WATCHDOG=1';

function faultEnv(base: NodeJS.ProcessEnv, sock: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...base,
    NOTIFY_SOCKET: sock,
    WATCHDOG_USEC: String(WATCHDOG_USEC),
    RECEPTION_FAULT_HOOKS: '1',
    RECEPTION_FAULT_BLOCK_MS: String(BLOCK_MS),
  };
  delete env.WATCHDOG_PID; // meant for whichever process reads it: ours
  delete env.NODE_ENV; // the hooks refuse to run under production
  return env;
}

const lastPingAt = (n: NotifyListener) => n.withField(PING).at(-1)?.at ?? 0;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

/** SIGUSR2 → the event loop blocked BLOCK_MS: no answer, no ping; then pings again. Returns the silence (ms). */
async function wedge(
  proc: ReadyChild<{ url: string }>,
  n: NotifyListener,
  url: string,
  whileWedged?: () => Promise<unknown>,
): Promise<number> {
  await until('pings before the wedge', 30_000, () => n.count(PING, Date.now() - 2000) >= 2);
  const t0 = Date.now();
  proc.child.kill('SIGUSR2');
  // Really wedged: the HTTP server cannot answer either (a request read in the same loop turn as the
  // signal may still be answered just before the handler runs: the next one is not).
  const answers = (ms: number) =>
    fetch(url, { signal: AbortSignal.timeout(ms) }).then(
      () => true,
      () => false,
    );
  await until('the HTTP server no longer answering', BLOCK_MS, async () => !(await answers(BLOCK_MS / 4)), 0);
  if (whileWedged) {
    // e.g. the watchdog's SIGTERM: the process then ends. One ping may still go as the loop runs again
    // (timers run before the signal's handler in a loop turn): the silence is the longest gap.
    await whileWedged();
    const silence = Math.max(...n.gaps(PING, t0 - 2000), Date.now() - lastPingAt(n));
    expect(silence).toBeGreaterThanOrEqual(BLOCK_MS / 2);
    return silence;
  }
  await until('pings again after the wedge', 60_000, () => n.count(PING, t0 + BLOCK_MS) >= 2);
  const silence = Math.max(...n.gaps(PING, t0 - 2000, Date.now()));
  expect(silence).toBeGreaterThanOrEqual(BLOCK_MS / 2); // a WatchdogSec of WATCHDOG_USEC (or of 2×) would have fired
  return silence;
}

/** SIGTERM → STOPPING=1 and exit 0. Returns ms from the signal to the exit. */
async function stopGracefully(proc: ReadyChild<unknown>, n: NotifyListener): Promise<number> {
  let exit: { code: number | null; signal: string | null } | undefined;
  proc.child.once('exit', (code, signal) => (exit = { code, signal }));
  const t0 = Date.now();
  proc.child.kill('SIGTERM');
  await until('STOPPING=1', 30_000, () => n.count('STOPPING=1', t0) === 1);
  await until('the exit after SIGTERM', 30_000, () => exit);
  expect(exit).toEqual({ code: 0, signal: null });
  return Date.now() - t0;
}

describe('e2e: the systemd watchdog through a real NOTIFY_SOCKET', () => {
  const dirs: string[] = [];
  const listeners: NotifyListener[] = [];
  const tmp = (p: string) => {
    const d = mkdtempSync(join(tmpdir(), p));
    dirs.push(d);
    return d;
  };
  afterAll(() => {
    for (const l of listeners) l.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('hub: READY=1, pings while it serves, none while its event loop is blocked, STOPPING=1 on SIGTERM', async () => {
    const dir = tmp('wd-hub-');
    const n = await startNotifyListener(dir);
    listeners.push(n);
    const hub = await spawnReady<{ url: string }>(process.execPath, [CLI, 'hub', '--port', '0'], {
      logFile: join(dir, 'hub.log'),
      env: { ...faultEnv(process.env, n.path), RECEPTION_HUB_STATE_DIR: join(dir, 'hub') },
      timeoutMs: 60_000,
    });
    try {
      await until('READY=1', 30_000, () => n.count('READY=1') === 1);
      expect(n.withField('READY=1')[0]!.fields).toContain(`MAINPID=${hub.child.pid}`);
      const readyAt = n.withField('READY=1')[0]!.at;
      await until('6 pings', 30_000, () => n.count(PING) >= 6);
      const healthy = n.gaps(PING, readyAt);
      // Every ping about on time while healthy (each is a systemd-notify process: on a loaded box one may
      // land ~0.1 s late, hence WatchdogSec well above the interval in the units; here only wide bounds).
      expect(median(healthy)).toBeLessThan(3 * (WATCHDOG_USEC / 2000)); // 3× the interval: figures are reported, bounds wide
      expect(Math.max(...healthy)).toBeLessThan(BLOCK_MS / 2);
      const silence = await wedge(hub, n, hub.ready.url);
      const stopMs = await stopGracefully(hub, n);
      console.info(
        `hub watchdog: ping every ${median(healthy)} ms (max ${Math.max(...healthy)}) while healthy; ` +
          `${silence} ms without a ping while wedged ${BLOCK_MS} ms; SIGTERM → exit ${stopMs} ms`,
      );
    } finally {
      await hub.stop('SIGKILL');
    }
  }, 180_000);

  describe('daemon', () => {
    let room: { dir: string; configFile: string; env: NodeJS.ProcessEnv; sim: ReadyChild<unknown> };
    let daemon: ReadyChild<{ url: string }>;
    let n: NotifyListener;
    const recordings = () => join(room.dir, 'sim', 'recordings');
    const spawnDaemon = (log: string) =>
      spawnReady<{ url: string }>(process.execPath, [CLI, 'daemon', '--config', room.configFile], {
        logFile: join(room.dir, log),
        env: { ...faultEnv(room.env, n.path), RECEPTION_WATCHDOG_MEDIA_DOWN_SEC: '5' },
        timeoutMs: 60_000,
      });
    const mediaState = async () => ((await json(`${daemon.ready.url}/api/v1/media/status`)).body as { state: string }).state;

    beforeAll(async () => {
      // The simulated room (camera, DSP, no picture: the worker runs on its slate) as tests/helpers/room-processes
      // starts it, and one daemon, ours: with the notify socket and the fault hooks (60 s to be ready: a loaded box).
      const dir = tmp('wd-room-');
      const configFile = join(dir, 'config.json');
      const ports = await Promise.all(Array.from({ length: 8 }, () => freePort()));
      const flags = ['api', 'onvif', 'rtsp', 'control', 'discovery', 'gateway', 'video-rtp', 'audio-rtp'];
      const sim = await spawnReady(
        process.execPath,
        [
          CLI,
          'sim',
          '--dir',
          join(dir, 'sim'),
          '--write-config',
          configFile,
          '--no-picture',
          ...flags.flatMap((f, i) => [`--${f}-port`, String(ports[i])]),
        ],
        { logFile: join(dir, 'sim.log'), timeoutMs: 60_000 },
      );
      room = { dir, configFile, env: { ...process.env, RECEPTION_STATE_DIR: join(dir, 'state') }, sim };
      n = await startNotifyListener(room.dir);
      listeners.push(n);
      daemon = await spawnDaemon('daemon-watchdog.log');
    });
    afterAll(async () => {
      await daemon?.stop('SIGKILL');
      await room?.sim.stop('SIGINT');
    });

    it('pings while healthy, none once the media worker cannot be brought back; the watchdog SIGTERM stops it gracefully, a new daemon runs it again', async () => {
      await until('READY=1', 30_000, () => n.count('READY=1') === 1);
      expect(n.withField('READY=1')[0]!.fields).toContain(`MAINPID=${daemon.child.pid}`);
      await until('the media worker running', 60_000, async () => (await mediaState()) === 'running');
      const runningAt = Date.now();
      await until('pings while it runs', 30_000, () => n.count(PING, runningAt) >= 2);

      // The worker dies as soon as it appears (a crash at start, again and again): its supervisor keeps
      // replacing it, but it never runs. After 5 s of that the daemon gives up its watchdog.
      const first = daemon;
      const killedAt = Date.now();
      let kills = 0;
      const killer = setInterval(() => {
        for (const w of mediaWorkersOf(recordings()))
          if (w.ppid === first.child.pid) {
            try {
              process.kill(w.pid, 'SIGKILL');
              kills++;
            } catch {
              // gone meanwhile
            }
          }
      }, 25);
      let withheldAt: number;
      let stopMs: number;
      try {
        await until(
          () => `pings withheld (last ${Date.now() - lastPingAt(n)} ms ago, ${kills} kills)`,
          60_000,
          () => Date.now() - lastPingAt(n) > 3 * (WATCHDOG_USEC / 1000),
        );
        withheldAt = lastPingAt(n);
        // Withheld, not late: still none a while later while the worker stays down.
        await until('3 more seconds of fault', 30_000, () => Date.now() - withheldAt > 6 * (WATCHDOG_USEC / 1000));
        expect(lastPingAt(n)).toBe(withheldAt);
        // What systemd does at WatchdogSec (WatchdogSignal=SIGTERM): the daemon is not wedged, it stops gracefully.
        stopMs = await stopGracefully(first, n);
      } finally {
        clearInterval(killer);
      }
      const lastPingAfterMs = withheldAt - killedAt;
      expect(lastPingAfterMs).toBeGreaterThanOrEqual(4000); // the worker's own restarts get their 5 s first
      const log = readFileSync(join(room.dir, 'daemon-watchdog.log'), 'utf8');
      expect(log).toContain('watchdog pings withheld');
      expect(log).toMatch(/media worker: not running for \d+ s/);

      // Restart=always: a fresh daemon (the fault was in the old one's worker), READY=1 and pings again.
      const restartAt = Date.now();
      daemon = await spawnDaemon('daemon-watchdog-2.log');
      await until('READY=1 from the new daemon', 30_000, () =>
        n.withField('READY=1').some((m) => m.fields.includes(`MAINPID=${daemon.child.pid}`)),
      );
      await until('the media worker running in the new daemon', 60_000, async () => (await mediaState()) === 'running', 200);
      const workerBackMs = Date.now() - restartAt;
      await until('pings from the new daemon', 30_000, () => n.count(PING, restartAt) >= 2);
      console.info(
        `daemon watchdog, media worker killed ${kills}× at start: last ping ${lastPingAfterMs} ms after the first kill (limit 5 s), ` +
          `none for ${Date.now() - withheldAt} ms; SIGTERM (the watchdog's) → exit 0 in ${stopMs} ms; ` +
          `new daemon's worker running ${workerBackMs} ms after its spawn`,
      );
    }, 300_000);

    it('gateway: READY=1, pings while it serves, none while its event loop is blocked, STOPPING=1 on SIGTERM', async () => {
      const g = await startNotifyListener(tmp('wd-gw-'));
      listeners.push(g);
      const gateway = await spawnReady<{ url: string }>(process.execPath, [CLI, 'gateway', '--config', room.configFile], {
        logFile: join(room.dir, 'gateway-watchdog.log'),
        env: faultEnv(room.env, g.path),
        timeoutMs: 60_000,
      });
      try {
        await until('READY=1', 30_000, () => g.count('READY=1') === 1);
        expect(g.withField('READY=1')[0]!.fields).toContain(`MAINPID=${gateway.child.pid}`);
        await until('4 pings', 30_000, () => g.count(PING) >= 4);
        const healthy = g.gaps(PING);
        expect(median(healthy)).toBeLessThan(3 * (WATCHDOG_USEC / 2000)); // 3× the interval: figures are reported, bounds wide
        const silence = await wedge(gateway, g, gateway.ready.url);
        const stopMs = await stopGracefully(gateway, g);
        console.info(
          `gateway watchdog: ping every ${median(healthy)} ms (max ${Math.max(...healthy)}) while healthy; ` +
            `${silence} ms without a ping while wedged ${BLOCK_MS} ms; SIGTERM → exit ${stopMs} ms`,
        );
      } finally {
        await gateway.stop('SIGKILL');
      }
    }, 180_000);

    it('no ping while its event loop is blocked; a SIGTERM then waits for the loop (hence TimeoutAbortSec); STOPPING=1 and exit 0', async () => {
      const signalledAt = Date.now();
      const silence = await wedge(daemon, n, daemon.ready.url, async () => {
        // The watchdog's SIGTERM reaches a wedged loop: nothing happens until the loop runs again.
        const stopMs = await stopGracefully(daemon, n);
        expect(stopMs).toBeGreaterThanOrEqual(BLOCK_MS / 3);
        return stopMs;
      });
      console.info(
        `daemon watchdog: ${silence} ms without a ping while wedged ${BLOCK_MS} ms; SIGTERM sent while wedged → exit ` +
          `${Date.now() - signalledAt} ms after the wedge began (only after the loop ran again)`,
      );
    }, 180_000);
  });
});
