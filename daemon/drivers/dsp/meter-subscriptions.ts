import { DeviceRejectedError, errorMessage } from '../../../common/errors.js';
import type { Logger } from '../../../common/log.js';
import { ALREADY_SUBSCRIBED, ttp, type TtpValue } from '../../../common/protocols/tesira-ttp/index.js';
import type { MeterHealth, MeterReading } from './dsp-driver.js';
import { type TtpLink, TtpRejectedError } from './ttp-link.js';

export interface MeterChannel {
  id: string;
  index: number;
  meterTag?: string;
  meterIndex?: number;
}

export interface MeterSubscriptionsOptions {
  channels: MeterChannel[];
  rateMs: number;
  timeoutMs: number;
  /** No reading for this many rates = the subscription is gone (a configuration push says nothing). Default 5. */
  silentAfter?: number;
  /** A refused subscription (wrong tag, a design without the block) is tried again this often. Default 15 s. */
  retryMs?: number;
  logger?: Logger;
  onReading(m: MeterReading): void;
  /** A channel's meter health changed. */
  onChange(): void;
}

interface Entry extends MeterHealth {
  token: string;
  retryAt: number;
}

/**
 * The meter subscriptions of one Tesira session, outside the connection probe: each channel on its own
 * (a wrong tag fails that channel's meter only), a label already live in the session (daemon restarted
 * while the unit stayed up) taken over by unsubscribe + subscribe, and a meter silent past
 * silentAfter × rate asked again, since a configuration push drops subscriptions without a banner.
 */
export class MeterSubscriptions {
  private readonly entries = new Map<string, Entry>();
  private link?: TtpLink;
  private timer?: NodeJS.Timeout;
  private running = false;
  private readonly silentMs: number;

  constructor(private readonly opts: MeterSubscriptionsOptions) {
    this.silentMs = Math.max(1000, (opts.silentAfter ?? 5) * opts.rateMs);
    for (const c of opts.channels) {
      if (!c.meterTag) continue;
      const token = meterToken(c.id);
      this.entries.set(token, { token, channel: c.id, tag: c.meterTag, index: c.meterIndex ?? c.index, state: 'pending', retryAt: 0 });
    }
  }

  /** A fresh link is up: subscribe every meter (the session may still hold them). */
  attach(link: TtpLink): void {
    this.link = link;
    clearInterval(this.timer);
    this.timer = setInterval(() => this.check(), Math.min(250, this.opts.rateMs)).unref();
    this.resubscribeAll();
  }

  detach(): void {
    this.link = undefined;
    clearInterval(this.timer);
    for (const e of this.entries.values()) this.set(e, 'pending', e.error);
  }

  /** The unit greeted (rebooted): every subscription is gone. */
  resubscribeAll(): void {
    for (const e of this.entries.values()) Object.assign(e, { state: 'pending', retryAt: 0 });
    this.opts.onChange();
    this.check();
  }

  onPublish(token: string, value: TtpValue): void {
    const e = this.entries.get(token);
    const db = Array.isArray(value) ? value[0] : value;
    if (!e || typeof db !== 'number') return;
    e.lastAt = Date.now();
    if (e.state === 'silent') this.set(e, 'ok');
    this.opts.onReading({ channel: e.channel, db, at: e.lastAt });
  }

  health(): MeterHealth[] {
    return [...this.entries.values()].map(({ token, retryAt, ...h }) => h);
  }

  /** One line naming every meter that is not working, for the driver's health; undefined when all are. */
  problems(): string | undefined {
    const bad = this.health().filter((h) => h.state === 'failed' || h.state === 'silent');
    if (bad.length === 0) return undefined;
    const vi = { failed: 'lỗi', silent: 'không có số đo' } as const;
    return bad
      .map((h) => {
        const what = `"${h.channel}" (${h.tag} ${h.index})`;
        return `đồng hồ đo mức kênh ${what} ${vi[h.state as keyof typeof vi]} / meter of channel ${what} ${h.state}: ${h.error}`;
      })
      .join('; ');
  }

  stop(): void {
    this.detach();
  }

  /**
   * Subscribes what is due. A meter silent past the limit is asked again: `+OK` means the unit had
   * dropped the subscription (a configuration push says nothing) — renewed; ALREADY_SUBSCRIBED means
   * it is alive and the meter simply did not publish — nothing to fix.
   */
  private check(): void {
    if (this.running || !this.link) return;
    const now = Date.now();
    const due = [...this.entries.values()].filter((e) => (e.state === 'ok' ? now - (e.lastAt ?? 0) > this.silentMs : now >= e.retryAt));
    if (due.length === 0) return;
    this.running = true;
    void this.subscribe(this.link, due).finally(() => (this.running = false));
  }

  private async subscribe(link: TtpLink, due: Entry[]): Promise<void> {
    for (const e of due) {
      if (this.link !== link) return;
      const quiet = e.state === 'ok';
      const log = { channel: e.channel, tag: e.tag, index: e.index };
      try {
        const wasGone = await this.subscribeOne(link, e, !quiet);
        if (quiet && wasGone) {
          e.renewed = (e.renewed ?? 0) + 1;
          this.opts.logger?.warn(log, 'meter subscription was gone without a banner (configuration pushed?): renewed');
        } else if (quiet) this.opts.logger?.debug(log, 'meter quiet but still subscribed');
        e.lastAt = Date.now();
        this.set(e, 'ok');
      } catch (err) {
        const rejected = err instanceof DeviceRejectedError;
        e.retryAt = Date.now() + (rejected ? (this.opts.retryMs ?? 15_000) : this.silentMs);
        this.set(e, rejected ? 'failed' : quiet ? 'silent' : e.state, errorMessage(err));
        this.opts.logger?.error({ ...log, err: errorMessage(err) }, 'meter subscription failed');
        if (!rejected) return; // timeout or closed port: the link is being rebuilt
      }
    }
  }

  /** True when the unit had no such subscription. takeOver: on ALREADY_SUBSCRIBED, unsubscribe + subscribe at our rate. */
  private async subscribeOne(link: TtpLink, e: Entry, takeOver: boolean): Promise<boolean> {
    const cmd = ttp.subscribe(e.tag, 'level', e.index, e.token, this.opts.rateMs);
    try {
      await link.request(cmd, this.opts.timeoutMs);
      return true;
    } catch (err) {
      if (!(err instanceof TtpRejectedError && err.reason === ALREADY_SUBSCRIBED)) throw err;
      if (!takeOver) return false;
      // The session still holds our label (we restarted, the unit did not): take it over.
      await link.request(ttp.unsubscribe(e.tag, 'level', e.index, e.token), this.opts.timeoutMs);
      await link.request(cmd, this.opts.timeoutMs);
      return false;
    }
  }

  private set(e: Entry, state: Entry['state'], error?: string): void {
    if (e.state === state && e.error === error) return;
    Object.assign(e, { state, error });
    this.opts.onChange();
  }
}

export const meterToken = (channelId: string) => `meter-${channelId}`;
