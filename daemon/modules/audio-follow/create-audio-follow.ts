import type { EventEmitter } from 'node:events';
import type { AudioFollowState, FollowMode } from '../../../common/contracts/daemon-api/audio-follow.js';
import { AppError, errorMessage } from '../../../common/errors.js';
import { HealthTracker } from '../../../common/lifecycle.js';
import type { Logger } from '../../../common/log.js';
import { withTimeout } from '../../../common/timeout.js';
import type { Config } from '../../config/schema.js';
import type { DspEvents, MeterHealth } from '../../drivers/dsp/dsp-driver.js';
import type { PtzDriver } from '../../drivers/ptz/ptz-driver.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { EventBus } from '../events/event-bus.js';
import { FollowDecider, type Target } from './follow-decider.js';
import { ACTOR, auditMove } from './follow-audit.js';
import { followHealth } from './follow-health.js';

const MOVE_GUARD_MS = 3000;

export interface AudioFollowDeps {
  config: Config['audioFollow'];
  /** The DSP's meter subscription rate: a meter silent for 5 periods (≥ 1 s) is stale. */
  meterRateMs: number;
  cameras: ReadonlyMap<string, { driver: PtzDriver }>;
  /** The DSP's meter events; its per-channel meter health, when it keeps one, says why a meter is silent. */
  dsp: { events: EventEmitter<DspEvents>; meters?(): MeterHealth[] };
  bus: EventBus;
  audit: Pick<AuditLog, 'record'>;
  logger: Logger;
  /** Milliseconds; Date.now unless a test drives the clock. */
  now?: () => number;
  tickMs?: number;
}

export type AudioFollow = ReturnType<typeof createAudioFollow>;

/** The camera follows the talker: DSP meters in, preset recalls out (README.md). */
export function createAudioFollow(deps: AudioFollowDeps) {
  const cfg = deps.config;
  const now = deps.now ?? Date.now;
  const tracker = new HealthTracker();
  const staleMs = Math.max(1000, 5 * deps.meterRateMs);
  let decider = new FollowDecider({ ...cfg, staleMs }, now());
  let auto = true;
  let pausedUntil = 0;
  let moving = false;
  let moves = 0;
  let last: AudioFollowState['last'] = null;
  let timer: NodeJS.Timeout | undefined;
  let startedAt = now();

  const onMeter = (m: { channel: string; db: number }) => decider.meter(m.channel, m.db, now());
  const onPtz = (e: { camera: string; action: string; by: string }) => {
    if (e.camera !== cfg.camera || e.by === ACTOR) return;
    pausedUntil = now() + cfg.manualPauseSeconds * 1000; // an officer framed the shot: leave it for a while
    decider.moved(now());
    deps.logger.info({ by: e.by, action: e.action, seconds: cfg.manualPauseSeconds }, 'manual camera move: following paused');
  };

  const mode = (t = now()): FollowMode => (!cfg.enabled ? 'disabled' : !auto ? 'off' : t < pausedUntil ? 'paused' : 'auto');

  function tick(): void {
    const t = now();
    const target = decider.tick(t, mode(t) === 'auto' && !moving);
    if (target) void move(target);
    updateHealth(t);
  }

  /** Kept current by the tick (not only when read), so `since` is when the state really changed. */
  function updateHealth(t: number): void {
    const h = followHealth(decider.view(t).channels, last, t - startedAt > staleMs, deps.dsp.meters?.() ?? []);
    tracker.set(h.state, h.lastError);
  }

  /** Vendor function presets (reboot, OSD menu…) by token, read from the camera at the first move, then every 10 min. */
  let functions: { tokens: Map<string, string>; at: number } | undefined;
  async function refuseFunctionPreset(driver: PtzDriver, token: string): Promise<void> {
    if (!functions || now() - functions.at > 600_000) {
      const list = await withTimeout(cfg.camera, MOVE_GUARD_MS, driver.presets(), 'presets');
      functions = { tokens: new Map(list.filter((p) => p.function).map((p) => [p.token, p.function!])), at: now() };
    }
    const what = functions.tokens.get(token);
    if (what)
      throw new AppError(
        `preset ${token} là chức năng của camera (${what}), không tự động gọi / is a camera function, never recalled automatically`,
        403,
        'FORBIDDEN',
      );
  }

  async function move(target: Target): Promise<void> {
    const cam = deps.cameras.get(cfg.camera);
    const at = new Date(now()).toISOString();
    moving = true;
    try {
      if (!cam) throw new AppError(`no camera "${cfg.camera}"`, 404, 'NOT_FOUND');
      await refuseFunctionPreset(cam.driver, target.preset);
      await withTimeout(cfg.camera, MOVE_GUARD_MS, cam.driver.gotoPreset(target.preset), `preset ${target.preset}`);
      moves++;
      decider.succeeded();
      last = { ...target, at, ok: true };
      deps.bus.emit('ptz', { camera: cfg.camera, action: `preset ${target.preset}`, by: ACTOR });
      deps.logger.info({ preset: target.preset, cause: target.cause, channels: target.channels }, 'camera follows the talker');
      await auditMove(deps.audit, deps.logger, { camera: cfg.camera, target, at, status: 200 });
    } catch (err) {
      decider.failed(); // unknown shot: tried again after holdMs, then less and less often (≤ 60 s)
      const error = `camera ${cfg.camera}, preset ${target.preset}: ${errorMessage(err)}`;
      last = { ...target, at, ok: false, error };
      deps.logger.warn({ err: error }, 'audio-follow move failed');
      await auditMove(deps.audit, deps.logger, {
        camera: cfg.camera,
        target,
        at,
        status: err instanceof AppError ? err.statusCode : 500,
        error,
      });
    } finally {
      moving = false;
    }
  }

  function state(): AudioFollowState {
    const t = now();
    const view = decider.view(t);
    if (cfg.enabled && timer) updateHealth(t); // a move may have just ended
    return {
      mode: mode(t),
      camera: cfg.enabled ? cfg.camera : null,
      pausedUntil: mode(t) === 'paused' ? new Date(pausedUntil).toISOString() : null,
      last,
      talking: decider.talking(t),
      channels: view.channels.map((c) => ({
        id: c.id,
        preset: cfg.rules.find((r) => r.channel === c.id)!.preset,
        db: c.db,
        stale: c.stale,
      })),
      moves,
      health: tracker.get(),
    };
  }

  return {
    async start() {
      if (!cfg.enabled || timer) return; // off in config: health says stopped
      startedAt = now();
      decider = new FollowDecider({ ...cfg, staleMs }, startedAt);
      tracker.set('starting');
      deps.dsp.events.on('meter', onMeter);
      deps.bus.on('ptz', onPtz);
      timer = setInterval(tick, deps.tickMs ?? 100);
    },
    async stop() {
      clearInterval(timer);
      timer = undefined;
      deps.dsp.events.off('meter', onMeter);
      deps.bus.off('ptz', onPtz);
      tracker.set('stopped');
    },
    health: () => state().health,
    state,
    /** An officer switches following on (resumes at once, even from a pause) or off. */
    setAuto(on: boolean, by: string): AudioFollowState {
      if (!cfg.enabled)
        throw new AppError(
          "Camera tự động theo người nói đang tắt trong cấu hình phòng (audioFollow.enabled) / audio-follow is off in this room's config",
          409,
          'DISABLED',
        );
      if (on && (!auto || pausedUntil > now())) decider.forget(); // the shot is unknown: re-assert the talker's
      auto = on;
      pausedUntil = 0;
      deps.logger.info({ by, auto: on }, on ? 'following switched on' : 'following switched off');
      return state();
    },
  };
}
