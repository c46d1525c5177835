import { EventEmitter } from 'node:events';
import { DeviceRejectedError, DeviceUnavailableError, InvalidRequestError } from '../../../common/errors.js';
import { HealthTracker } from '../../../common/lifecycle.js';
import type { Logger } from '../../../common/log.js';
import { isOutOfRange, okValue, ttp, type TtpValue } from '../../../common/protocols/tesira-ttp/index.js';
import { createSupervisor, type BuildContext } from '../../../common/supervise/supervisor.js';
import type { ChannelState, DspChannel, DspDriver, DspEvents, MeterHealth } from './dsp-driver.js';
import { checkLevel, checkMuted, checkPreset, findChannel } from './dsp-validate.js';
import { MeterSubscriptions } from './meter-subscriptions.js';
import { TtpLink, TtpRejectedError, type OkReply } from './ttp-link.js';

export interface TesiraChannel {
  id: string;
  name: string;
  muteTag: string;
  levelTag: string;
  index: number;
  meterTag?: string;
  meterIndex?: number;
}

export interface TesiraDspOptions {
  path: string;
  baudRate?: number;
  timeoutMs?: number;
  channels: TesiraChannel[];
  meterRateMs?: number;
  /** A meter silent for this many rates is subscribed again (default 5). */
  meterSilentAfter?: number;
  /** A refused meter subscription is tried again after this long (default 15 s). */
  meterRetryMs?: number;
  logger?: Logger;
}

/** A Biamp Tesira on RS-232, spoken to in TTP. Reconnects by itself; commands fail fast meanwhile. */
export class TesiraDsp implements DspDriver {
  readonly kind = 'tesira' as const;
  readonly events = new EventEmitter<DspEvents>();
  private readonly tracker = new HealthTracker((h) => this.events.emit('health', h));
  private readonly state = new Map<string, ChannelState>();
  private readonly timeoutMs: number;
  private link?: TtpLink;
  private stopped = true;
  private wasDown = false;
  private readonly meterSubs: MeterSubscriptions;
  /** Replace, not repair: a fresh port and session after a backoff pause (250 ms → 5 s). */
  private readonly supervisor = createSupervisor<TtpLink>({
    baseMs: 250,
    maxMs: 5000,
    build: (ctx) => this.connect(ctx),
    dispose: (link) => link.close('driver stopped'),
  });

  constructor(private readonly opts: TesiraDspOptions) {
    this.timeoutMs = opts.timeoutMs ?? 1500;
    for (const c of opts.channels) this.state.set(c.id, { id: c.id, name: c.name, muted: null, levelDb: null });
    this.meterSubs = new MeterSubscriptions({
      channels: opts.channels,
      rateMs: opts.meterRateMs ?? 200,
      timeoutMs: this.timeoutMs,
      silentAfter: opts.meterSilentAfter,
      retryMs: opts.meterRetryMs,
      logger: opts.logger,
      onReading: (m) => this.events.emit('meter', m),
      onChange: () => this.tracker.get().state === 'online' && this.tracker.set('online', this.meterSubs.problems()),
    });
    this.supervisor.events.on('up', (link) => this.linkUp(link));
    this.supervisor.events.on('retry', ({ reason }) => this.linkDown(reason));
  }

  /** Resolves after the first connection attempt, online or not: a missing DSP must not stop the room. */
  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    this.tracker.set('starting');
    await this.supervisor.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.link = undefined;
    this.meterSubs.stop();
    await this.supervisor.stop(); // closes the link
    this.tracker.set('stopped');
  }

  health() {
    return this.tracker.get();
  }

  meters(): MeterHealth[] {
    return this.meterSubs.health();
  }

  channels(): DspChannel[] {
    return this.opts.channels.map(({ id, name }) => ({ id, name }));
  }

  async getMute(channel: string): Promise<boolean> {
    const ch = findChannel(this.opts.channels, channel);
    return this.remember(ch.id, { muted: bool(await this.value(ttp.getMute(ch.muteTag, ch.index))) }).muted!;
  }

  async setMute(channel: string, muted: boolean): Promise<void> {
    const ch = findChannel(this.opts.channels, channel);
    checkMuted(muted);
    await this.send(ttp.setMute(ch.muteTag, ch.index, muted));
    this.events.emit('channel', this.remember(ch.id, { muted }));
  }

  async getLevel(channel: string): Promise<number> {
    const ch = findChannel(this.opts.channels, channel);
    return this.remember(ch.id, { levelDb: num(await this.value(ttp.getLevel(ch.levelTag, ch.index))) }).levelDb!;
  }

  async setLevel(channel: string, db: number): Promise<void> {
    const ch = findChannel(this.opts.channels, channel);
    checkLevel(db);
    await this.send(ttp.setLevel(ch.levelTag, ch.index, db)).catch((e) => {
      // The block's own range can be narrower than ours: the unit refuses (no clamping), so it is bad input.
      if (e instanceof TtpRejectedError && isOutOfRange(e.reason))
        throw new InvalidRequestError(
          'db',
          `kênh "${ch.id}" (${ch.levelTag} ${ch.index}) không nhận mức ${db} dB (ngoài dải của DSP) / channel "${ch.id}" (${ch.levelTag} ${ch.index}) refused ${db} dB: ${e.reason}`,
        );
      throw e;
    });
    this.events.emit('channel', this.remember(ch.id, { levelDb: db }));
  }

  async recallPreset(preset: number): Promise<void> {
    checkPreset(preset);
    await this.send(ttp.recallPreset(preset));
    void this.refreshChannels(); // the preset moved faders: tell listeners what they are now
  }

  // --- connection ---

  /** Online as soon as the session answers: meters are subscribed afterwards, each on its own. */
  private async connect(ctx: BuildContext): Promise<TtpLink> {
    const link = await TtpLink.open({ path: this.opts.path, baudRate: this.opts.baudRate ?? 115200, logger: this.opts.logger });
    link.events.on('close', (reason) => ctx.lost(reason));
    link.events.on('stalled', (reason) => this.link === link && void link.close(reason));
    link.events.on('publish', (token, value) => this.meterSubs.onPublish(token, value));
    link.events.on('banner', () => this.link === link && this.rebooted(link));
    try {
      // Probe and normalise the session: our parser expects verbose replies.
      await link.request(ttp.setVerbose(true), this.timeoutMs);
    } catch (e) {
      await link.close('probe failed');
      throw e;
    }
    return link;
  }

  private linkUp(link: TtpLink): void {
    this.link = link;
    if (this.wasDown) this.tracker.countReconnect();
    this.wasDown = false;
    this.tracker.set('online', this.meterSubs.problems());
    this.opts.logger?.info({ path: this.opts.path }, 'DSP online');
    this.meterSubs.attach(link);
  }

  private linkDown(reason: string): void {
    this.link = undefined;
    this.meterSubs.detach();
    this.wasDown = true;
    if (this.stopped) return;
    if (this.tracker.get().state !== 'offline') this.opts.logger?.warn({ reason }, 'DSP offline');
    this.tracker.set('offline', reason);
  }

  /** The banner: the unit rebooted, its session (verbose, subscriptions) is new. */
  private rebooted(link: TtpLink): void {
    this.opts.logger?.warn('DSP greeted again (rebooted): session settings and meters renewed');
    link
      .request(ttp.setVerbose(true), this.timeoutMs)
      .catch((e) => this.opts.logger?.warn({ err: String(e) }, 'verbose after reboot failed'));
    this.meterSubs.resubscribeAll();
  }

  // --- commands ---

  private async send(line: string): Promise<OkReply> {
    const link = this.link;
    if (!link) throw new DeviceUnavailableError('tesira', this.tracker.get().lastError ?? 'not connected');
    return link.request(line, this.timeoutMs);
  }

  private async value(line: string): Promise<TtpValue | undefined> {
    return okValue(await this.send(line));
  }

  private remember(id: string, change: Partial<ChannelState>): ChannelState {
    const next = { ...this.state.get(id)!, ...change };
    this.state.set(id, next);
    return next;
  }

  private async refreshChannels(): Promise<void> {
    for (const c of this.opts.channels) {
      try {
        await this.getMute(c.id);
        await this.getLevel(c.id);
        this.events.emit('channel', this.state.get(c.id)!);
      } catch {
        return; // offline again; the next command will say so
      }
    }
  }
}

function bool(v: TtpValue | undefined): boolean {
  if (typeof v !== 'boolean') throw new DeviceRejectedError('tesira', `expected true/false, got ${JSON.stringify(v)}`);
  return v;
}

function num(v: TtpValue | undefined): number {
  if (typeof v !== 'number') throw new DeviceRejectedError('tesira', `expected a number, got ${JSON.stringify(v)}`);
  return v;
}
