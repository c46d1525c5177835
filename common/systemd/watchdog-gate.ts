/**
 * What a process checks before each systemd watchdog ping (`startWatchdog(gate.healthy)` in sd-notify.ts).
 * A ping says "restarting me would not help": it is withheld when a check names a problem that only a
 * fresh process can cure (a closed listener; the media worker down for minutes although its supervisor
 * keeps replacing it). A blocked event loop needs no check: no timer fires, no ping goes. Each change of
 * the gate is logged once, so the journal says why systemd is about to kill the process.
 */
export interface WatchdogCheck {
  name: string;
  /** Null while fine, else what is wrong (said in the log). */
  problem(): string | null;
}

interface WatchdogGateDeps {
  logger?: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
}

export function createWatchdogGate(checks: WatchdogCheck[], deps: WatchdogGateDeps = {}) {
  let closedBy = ''; // the failing checks' names at the last call: a change is logged, not every ping
  const problems = () =>
    checks.flatMap((c) => {
      let p: string | null;
      try {
        p = c.problem();
      } catch (err) {
        p = `check threw: ${(err as Error).message}`;
      }
      return p === null ? [] : [`${c.name}: ${p}`];
    });
  return {
    problems,
    /** True when every check passes; logs when the gate closes (and opens again). */
    healthy(): boolean {
      const now = problems();
      const by = now.map((p) => p.slice(0, p.indexOf(':'))).join();
      if (now.length && by !== closedBy)
        deps.logger?.warn({ problems: now }, 'watchdog pings withheld: systemd restarts this process after WatchdogSec');
      else if (!now.length && closedBy) deps.logger?.info({ was: closedBy }, 'watchdog pings resumed');
      closedBy = by;
      return now.length === 0;
    },
  };
}

/** The process's server still listens (`address()` is '' once it is closed). */
export function listening(name: string, address: () => string): WatchdogCheck {
  return { name, problem: () => (address() === '' ? 'not listening' : null) };
}

/**
 * Something a supervisor keeps replacing has not been up for `limitMs` in a row: its own retries did not
 * help, so the process gives up its watchdog and systemd replaces the whole process. `up()` answers
 * undefined when the part is not used (disabled in the config). It is sampled at each ping (every
 * WATCHDOG_USEC/2); `sawUp()`, called from the part's own events, records an up spell shorter than that
 * (without it, a part that came up and fell again between two samples would count as down all along).
 */
export function downTooLong(
  name: string,
  o: { up: () => boolean | undefined; limitMs: number; now?: () => number; detail?: () => string | undefined },
): WatchdogCheck & { sawUp(): void } {
  const now = o.now ?? Date.now;
  let downSince: number | undefined;
  let upBetween = false;
  return {
    name,
    sawUp: () => {
      upBetween = true;
    },
    problem() {
      const up = o.up();
      if (up !== false || upBetween) {
        upBetween = false;
        downSince = up === false ? now() : undefined;
        return null;
      }
      const t = now();
      downSince ??= t;
      if (t - downSince < o.limitMs) return null;
      const detail = o.detail?.();
      return `not running for ${Math.round((t - downSince) / 1000)} s${detail ? ` (${detail})` : ''}`;
    },
  };
}

/** A duration in whole seconds from the environment (set in the unit, next to WatchdogSec), or the default. */
export function envSeconds(env: NodeJS.ProcessEnv, name: string, defaultSec: number): number {
  const v = Number(env[name]);
  return (env[name] && Number.isFinite(v) && v > 0 ? v : defaultSec) * 1000;
}

/** The daemon gives up its watchdog when the media worker has not run for this long (seconds). */
export const MEDIA_DOWN_ENV = 'RECEPTION_WATCHDOG_MEDIA_DOWN_SEC';
export const MEDIA_DOWN_DEFAULT_SEC = 120;
