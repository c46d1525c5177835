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
  /** Its echo came back: the next +OK/-ERR is its answer. Before that, a reply is a late one. */
  echoed: boolean;
  resolve(r: OkReply): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout;
}

const DEVICE = 'tesira';

/** A `-ERR` answer: the command and the unit's reason, kept apart so callers can tell reasons apart. */
export class TtpRejectedError extends DeviceRejectedError {
  constructor(
    readonly command: string,
    readonly reason: string,
  ) {
    super(DEVICE, `${command}: -ERR ${reason}`);
  }
}

/**
 * One open RS-232 connection speaking TTP: commands go out one at a time. The Tesira serves them in
 * order, echo then reply, so a reply belongs to the command whose echo came before it: a `+OK`/`-ERR`
 * seen before the in-flight command's echo answers an earlier command that timed out, and is dropped.
 * Without an echo (none owed), replies are taken in order. Publish lines and noise are sorted out.
 */
export class TtpLink {
  readonly events = new EventEmitter<TtpLinkEvents>();
  private readonly splitter = new LineSplitter();
  private readonly queue: Pending[] = [];
  private inFlight?: Pending;
  private closedReason?: string;
  private noise = 0;
  /** Replies dropped because they came before the in-flight command's echo. */
  lateReplies = 0;
  /** Commands sent that timed out since the last echo: their answers may still be on the way. */
  private unanswered = 0;

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
      const p: Pending = { line, echoed: false, resolve, reject, timer: setTimeout(() => this.expire(p, timeoutMs), timeoutMs) };
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
    if (!wasSent) return;
    this.unanswered++; // its answer may still come: it must not be taken for the next command's
    this.events.emit('stalled', `no answer in ${ms} ms`);
  }

  private onLine(raw: string): void {
    const line = parseLine(raw);
    switch (line.kind) {
      case 'publish':
        this.events.emit('publish', line.token, line.value);
        if (line.ok) this.answer(raw, () => ({ ok: { kind: 'ok', fields: {}, values: [] } }));
        return;
      case 'ok':
        return this.answer(raw, () => ({ ok: line }));
      case 'err':
        return this.answer(raw, (p) => ({ err: new TtpRejectedError(p.line, line.reason) }));
      case 'banner':
        this.events.emit('banner');
        return;
      case 'other':
        if (this.inFlight && sameCommand(line.text, this.inFlight.line)) {
          // RS-232 echo of our own command: its reply comes next, earlier ones are all in (served in order).
          this.inFlight.echoed = true;
          this.unanswered = 0;
          return;
        }
        // Noise on the line: skip it, log the first few so a wrong baud rate is visible.
        if (++this.noise <= 5 || this.noise % 100 === 0)
          this.logger?.warn({ raw: raw.slice(0, 80), count: this.noise }, 'unparseable line from DSP skipped');
    }
  }

  /**
   * A reply is the in-flight command's once its echo came back — or, with no earlier command still
   * owed an answer, at once (a unit or gateway that does not echo). Otherwise it is a late answer to a
   * command that timed out, and is dropped.
   */
  private answer(raw: string, outcome: (p: Pending) => { ok: OkReply } | { err: Error }): void {
    const p = this.inFlight;
    if (p && (p.echoed || this.unanswered === 0)) return this.settle(p, outcome(p));
    if (this.unanswered > 0) this.unanswered--;
    this.lateReplies++;
    this.logger?.debug({ raw, waiting: p?.line }, 'late answer to an earlier command (before our echo), dropped');
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

/** The echo may differ from what we sent in spacing only. */
const sameCommand = (echo: string, sent: string) => echo.replace(/\s+/g, ' ').trim() === sent.replace(/\s+/g, ' ').trim();
