import {
  createWatchdogGate,
  downTooLong,
  envSeconds,
  listening,
  MEDIA_DOWN_DEFAULT_SEC,
  MEDIA_DOWN_ENV,
} from '../common/systemd/watchdog-gate.js';

/**
 * The daemon's systemd watchdog gate: a ping (every WatchdogSec/2) only while the API listens and the media
 * worker has run at some point in the last RECEPTION_WATCHDOG_MEDIA_DOWN_SEC (120 s; the unit sets it). A
 * worker that its supervisor cannot bring back for that long (crashing at start, never reaching 'running')
 * needs a fresh daemon: the pings stop and systemd restarts the unit (systemd/README.md). A hung event
 * loop sends none anyway. A missing camera does not count: the worker then runs with the slate.
 */
export function daemonWatchdogGate(d: {
  api: { address(): string };
  media?: {
    status(): { state: string; restarts: number; lastRestartReason?: string };
    worker: { events: { on(e: 'state', f: (s: string) => void): unknown } };
  };
  env: NodeJS.ProcessEnv;
  logger: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
}) {
  const { media } = d;
  const worker = downTooLong('media worker', {
    up: () => (media ? media.status().state === 'running' : undefined),
    limitMs: envSeconds(d.env, MEDIA_DOWN_ENV, MEDIA_DOWN_DEFAULT_SEC),
    detail: () => {
      const s = media?.status();
      return s && `${s.state}, ${s.restarts} restarts, last: ${s.lastRestartReason ?? 'none'}`;
    },
  });
  media?.worker.events.on('state', (s) => s === 'running' && worker.sawUp()); // a spell between two pings counts
  return createWatchdogGate([listening('api', () => d.api.address()), worker], { logger: d.logger });
}
