import { EventEmitter } from 'node:events';
import { SerialPort } from 'serialport';
import { DeviceRejectedError, DeviceUnavailableError } from '../../../common/errors.js';
import type { Logger } from '../../../common/log.js';
import { LineSplitter, encodeCommand, parseLine, type TtpLine, type TtpValue } from '../../../common/protocols/tesira-ttp/index.js';

export type OkReply = Extract<TtpLine, { kind: 'ok' }>;

export interface TtpLinkEvents {
  publish: [token: string, value: TtpValue];
  /** The server greeted a new session (it rebooted): subscriptions are gone. */
  banner: [];
  /** A command got no answer in time: the line is suspect. */
  stalled: [reason: string];
  close: [reason: string];
}

interface Pending {
  line: string;
  resolve(r: OkReply): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout;
}

const DEVICE = 'tesira';

/**
 * One open RS-232 connection speaking TTP: commands go out one at a time, each answered by the
 * next `+OK`/`-ERR`; the echo of the command, publish lines and noise in between are sorted out.
 */
export class TtpLink {
  readonly events = new EventEmitter<TtpLinkEvents>();
  private readonly splitter = new LineSplitter();
  private readonly queue: Pending[] = [];
  private inFlight?: Pending;
  private closedReason?: string;
  private noise = 0;

  private constructor(
    private readonly port: SerialPort,
    private readonly logger?: Logger,
  ) {
    port.on('data', (d: Buffer) => this.splitter.push(d).forEach((l) => this.onLine(l)));
    port.on('error', (e) => void this.close(`serial error: ${e.message}`));
    port.on('close', () => this.shutdown('serial port closed (unplugged?)'));
  }

  /** Opens the port and discards whatever the device said before we listened. */
  static async open(opts: { path: string; baudRate: number; logger?: Logger }): Promise<TtpLink> {
    const port = new SerialPort({ path: opts.path, baudRate: opts.baudRate, autoOpen: false });
    await new Promise<void>((res, rej) => port.open((e) => (e ? rej(new DeviceUnavailableError(DEVICE, e.message)) : res())));
    await new Promise<void>((res) => port.flush(() => res()));
    return new TtpLink(port, opts.logger);
  }

  get closed(): boolean {
    return this.closedReason !== undefined;
  }

  /** Sends one command; resolves with its `+OK`, rejects on `-ERR`, timeout or a dropped line. */
  request(line: string, timeoutMs: number): Promise<OkReply> {
    if (this.closedReason) return Promise.reject(new DeviceUnavailableError(DEVICE, this.closedReason));
    return new Promise<OkReply>((resolve, reject) => {
      const p: Pending = { line, resolve, reject, timer: setTimeout(() => this.expire(p, timeoutMs), timeoutMs) };
      this.queue.push(p);
      this.pump();
    });
  }

  async close(reason = 'closed'): Promise<void> {
    this.shutdown(reason);
    if (this.port.isOpen) await new Promise<void>((res) => this.port.close(() => res())).catch(() => {});
  }

  private pump(): void {
    if (this.inFlight || this.closedReason) return;
    const next = this.queue.shift();
    if (!next) return;
    this.inFlight = next;
    this.port.write(encodeCommand(next.line), (e) => e && this.shutdown(`write failed: ${e.message}`));
  }

  private settle(p: Pending, outcome: { ok: OkReply } | { err: Error }): void {
    clearTimeout(p.timer);
    if (this.inFlight === p) this.inFlight = undefined;
    if ('ok' in outcome) p.resolve(outcome.ok);
    else p.reject(outcome.err);
    this.pump();
  }

  private expire(p: Pending, ms: number): void {
    const wasSent = this.inFlight === p;
    const i = this.queue.indexOf(p);
    if (i >= 0) this.queue.splice(i, 1);
    this.settle(p, { err: new DeviceUnavailableError(DEVICE, `no answer to "${p.line}" in ${ms} ms`) });
    if (wasSent) this.events.emit('stalled', `no answer in ${ms} ms`);
  }

  private onLine(raw: string): void {
    const line = parseLine(raw);
    const p = this.inFlight;
    switch (line.kind) {
      case 'publish':
        this.events.emit('publish', line.token, line.value);
        if (line.ok && p) this.settle(p, { ok: { kind: 'ok', fields: {}, values: [] } });
        return;
      case 'ok':
        if (p) this.settle(p, { ok: line });
        else this.logger?.debug({ raw }, 'reply with no command waiting, ignored');
        return;
      case 'err':
        if (p) this.settle(p, { err: new DeviceRejectedError(DEVICE, `${p.line}: -ERR ${line.reason}`) });
        return;
      case 'banner':
        this.events.emit('banner');
        return;
      case 'other':
        if (p && line.text === p.line.trim()) return; // RS-232 echo of our own command
        // Noise on the line: skip it, log the first few so a wrong baud rate is visible.
        if (++this.noise <= 5 || this.noise % 100 === 0)
          this.logger?.warn({ raw: raw.slice(0, 80), count: this.noise }, 'unparseable line from DSP skipped');
    }
  }

  private shutdown(reason: string): void {
    if (this.closedReason) return;
    this.closedReason = reason;
    const err = new DeviceUnavailableError(DEVICE, reason);
    for (const p of [...(this.inFlight ? [this.inFlight] : []), ...this.queue.splice(0)]) {
      clearTimeout(p.timer);
      p.reject(err);
    }
    this.inFlight = undefined;
    this.events.emit('close', reason);
  }
}
