import { EventEmitter } from 'node:events';
import { DeviceRejectedError, DeviceUnavailableError } from '../../../common/errors.js';
import { HealthTracker } from '../../../common/lifecycle.js';
import { sleep } from '../../../common/timeout.js';
import { MeterWalk } from '../../../simulators/tesira-dsp/meter-walk.js';
import type { ChannelState, DspChannel, DspDriver, DspEvents, MeterHealth } from './dsp-driver.js';
import { checkLevel, checkMuted, checkPreset, findChannel } from './dsp-validate.js';

export interface SimDspOptions {
  channels: DspChannel[];
  meterRateMs?: number;
  /** Preset id → what it does to every channel. Defaults: 1001 all at 0 dB unmuted, 1002 all muted. */
  presets?: Record<number, { levelDb?: number; muted?: boolean }>;
  latencyMs?: number;
}

/** In-process simulated DSP: the embedded default when no hardware is configured. */
export class SimDsp implements DspDriver {
  readonly kind = 'sim' as const;
  readonly events = new EventEmitter<DspEvents>();
  readonly faults = { offline: false, latencyMs: 0, garbage: false };
  private readonly tracker = new HealthTracker((h) => this.events.emit('health', h));
  private readonly state = new Map<string, ChannelState & { meter: number }>();
  private readonly presets: Record<number, { levelDb?: number; muted?: boolean }>;
  private readonly walk = new MeterWalk();
  private meterTimer?: NodeJS.Timeout;

  constructor(private readonly opts: SimDspOptions) {
    this.faults.latencyMs = opts.latencyMs ?? 0;
    this.presets = opts.presets ?? { 1001: { levelDb: 0, muted: false }, 1002: { muted: true } };
    for (const c of opts.channels) this.state.set(c.id, { id: c.id, name: c.name, muted: false, levelDb: 0, meter: -60 });
  }

  async start(): Promise<void> {
    const rate = this.opts.meterRateMs ?? 200;
    clearInterval(this.meterTimer);
    this.meterTimer = setInterval(() => this.publishMeters(rate), rate);
    this.tracker.set(this.faults.offline ? 'offline' : 'online');
  }

  async stop(): Promise<void> {
    clearInterval(this.meterTimer);
    this.tracker.set('stopped');
  }

  health() {
    return this.tracker.get();
  }

  setOffline(offline: boolean): void {
    this.faults.offline = offline;
    if (this.tracker.get().state === 'stopped') return;
    if (!offline && this.tracker.get().state === 'offline') this.tracker.countReconnect();
    this.tracker.set(offline ? 'offline' : 'online', offline ? 'simulated outage' : undefined);
  }

  setGarbage(on: boolean): void {
    this.faults.garbage = on;
  }

  /** The simulated device's own value, for tests. */
  deviceLevel(channel: string): number {
    return this.state.get(findChannel(this.opts.channels, channel).id)!.levelDb!;
  }

  channels(): DspChannel[] {
    return this.opts.channels.map(({ id, name }) => ({ id, name }));
  }

  /** Every channel meters (tag `sim`); nothing to subscribe, so only an outage stops them. */
  meters(): MeterHealth[] {
    const live = !this.faults.offline && this.tracker.get().state === 'online';
    return this.opts.channels.map((c, i) => ({ channel: c.id, tag: 'sim', index: i + 1, state: live ? 'ok' : 'pending' }));
  }

  async getMute(channel: string): Promise<boolean> {
    const s = this.channel(channel);
    await this.answer();
    return s.muted!;
  }

  async setMute(channel: string, muted: boolean): Promise<void> {
    const s = this.channel(channel);
    checkMuted(muted);
    await this.answer();
    s.muted = muted;
    this.emitChannel(s);
  }

  async getLevel(channel: string): Promise<number> {
    const s = this.channel(channel);
    await this.answer();
    return s.levelDb!;
  }

  async setLevel(channel: string, db: number): Promise<void> {
    const s = this.channel(channel);
    checkLevel(db);
    await this.answer();
    s.levelDb = db;
    this.emitChannel(s);
  }

  async recallPreset(preset: number): Promise<void> {
    checkPreset(preset);
    await this.answer();
    const p = this.presets[preset];
    if (!p) throw new DeviceRejectedError('sim-dsp', `-ERR INVALID_PARAMETER preset not found:${preset}`);
    for (const s of this.state.values()) {
      if (p.levelDb !== undefined) s.levelDb = p.levelDb;
      if (p.muted !== undefined) s.muted = p.muted;
      this.emitChannel(s);
    }
  }

  private channel(id: string) {
    return this.state.get(findChannel(this.opts.channels, id).id)!;
  }

  /** Same failure modes as the real link: unplugged fails at once, garbage fails the command. */
  private async answer(): Promise<void> {
    if (this.tracker.get().state === 'stopped') throw new DeviceUnavailableError('sim-dsp', 'driver stopped');
    if (this.faults.offline) throw new DeviceUnavailableError('sim-dsp', 'simulated outage');
    if (this.faults.latencyMs > 0) await sleep(this.faults.latencyMs);
    if (this.faults.garbage) throw new DeviceUnavailableError('sim-dsp', 'answered garbage');
  }

  private emitChannel({ id, name, muted, levelDb }: ChannelState): void {
    this.events.emit('channel', { id, name, muted, levelDb });
  }

  private publishMeters(rateMs: number): void {
    if (this.faults.offline || this.faults.garbage) return;
    const at = Date.now();
    for (const s of this.state.values()) {
      // A muted channel meters silence; otherwise the fader offsets the talker.
      s.meter = this.walk.step(s.meter, rateMs);
      const db = s.muted ? -100 : Math.min(12, s.meter + (s.levelDb ?? 0));
      this.events.emit('meter', { channel: s.id, db: Math.round(db * 10) / 10, at });
    }
  }
}
