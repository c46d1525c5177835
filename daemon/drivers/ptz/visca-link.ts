import { SerialPort } from 'serialport';
import { DeviceUnavailableError, errorMessage } from '../../../common/errors.js';
import type { HealthTracker } from '../../../common/lifecycle.js';
import type { Logger } from '../../../common/log.js';
import { backoffDelay } from '../../../common/timeout.js';
import type { ViscaReply } from '../../../common/protocols/visca/index.js';
import { ViscaExchange, type AxisGroup, type ViscaRequest } from './visca-ptz-exchange.js';

// The RS-232 side of a VISCA camera: opens the port, reopens it with backoff when it goes away
// (USB adapter pulled, socat pair recreated), and probes the camera so health means "answers".
// A pty whose far end vanished only reports it on write, so an idle line is probed every few seconds.

export interface ViscaLinkOptions {
  id: string;
  path: string;
  baudRate: number;
  address: number;
  tracker: HealthTracker;
  logger: Logger;
  /** Asks the camera something harmless; run after each open and when the line has been idle. */
  probe: () => Promise<unknown>;
  keepaliveMs?: number;
}

export class ViscaLink {
  readonly exchange: ViscaExchange;
  private port?: SerialPort;
  private stopped = true;
  private wake?: () => void;
  private keepalive?: NodeJS.Timeout;
  private lastTraffic = 0;
  private lastError = 'not connected yet';

  constructor(private readonly o: ViscaLinkOptions) {
    this.exchange = new ViscaExchange(o.id, o.address, {
      write: (bytes, done) => this.write(bytes, done),
      answered: () => o.tracker.set('online'),
      trouble: (reason) => o.tracker.set('offline', reason),
    }, o.logger);
  }

  /** Resolves after the first open attempt (and its probe); the link keeps retrying in the background. */
  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    this.keepalive = setInterval(() => this.idleProbe(), 1000);
    await new Promise<void>((firstTry) => void this.loop(firstTry));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.keepalive);
    this.wake?.();
    const port = this.port;
    this.port = undefined;
    this.exchange.failAll('driver stopped');
    if (port?.isOpen) await new Promise<void>((res) => port.close(() => res()));
  }

  request(req: ViscaRequest): Promise<ViscaReply> {
    if (!this.port?.isOpen) return Promise.reject(new DeviceUnavailableError(this.o.id, `serial port ${this.o.path}: ${this.lastError}`));
    this.lastTraffic = Date.now();
    return this.exchange.request(req);
  }

  busy(group: AxisGroup): boolean {
    return this.exchange.busy(group);
  }

  private async loop(firstTry: () => void): Promise<void> {
    for (let attempt = 0, opened = false; !this.stopped; attempt++) {
      try {
        const { closed } = await this.open();
        if (opened) this.o.tracker.countReconnect();
        opened = true;
        attempt = 0;
        await this.o.probe().catch((e) => this.o.logger.warn({ err: errorMessage(e) }, 'camera did not answer the probe'));
        firstTry();
        await closed;
      } catch (err) {
        this.lastError = `cannot open: ${errorMessage(err)}`;
        this.o.tracker.set('offline', this.lastError);
        firstTry();
      }
      if (this.stopped) return;
      await new Promise<void>((res) => {
        this.wake = res;
        setTimeout(res, backoffDelay(attempt, 250, 2000));
      });
    }
  }

  /** Opens the port; `closed` settles when the port closes. */
  private async open(): Promise<{ closed: Promise<void> }> {
    const port = new SerialPort({ path: this.o.path, baudRate: this.o.baudRate, autoOpen: false });
    await new Promise<void>((res, rej) => port.open((e) => (e ? rej(e) : res())));
    await new Promise<void>((res) => port.flush(() => res())); // stale bytes from before the reconnect
    port.on('data', (d: Buffer) => this.exchange.receive(d));
    port.on('error', (e) => this.o.logger.warn({ err: e.message }, 'serial port error'));
    this.port = port;
    this.o.logger.info({ path: this.o.path }, 'serial port open');
    const closed = new Promise<void>((res) =>
      port.once('close', () => {
        if (this.port !== port) return res();
        this.port = undefined;
        this.lastError = 'serial port closed (unplugged?)';
        this.exchange.failAll(this.lastError);
        if (!this.stopped) this.o.tracker.set('offline', this.lastError);
        this.o.logger.warn({ path: this.o.path }, this.lastError);
        res();
      }),
    );
    return { closed };
  }

  private write(bytes: Uint8Array, done: (err?: Error | null) => void): void {
    const port = this.port;
    if (!port?.isOpen) return done(new Error('serial port closed'));
    port.write(Buffer.from(bytes), (err) => {
      done(err);
      if (err && port.isOpen) port.close(); // EIO: the other end is gone; 'close' starts the reconnect
    });
  }

  private idleProbe(): void {
    if (!this.port?.isOpen || !this.exchange.idle() || Date.now() - this.lastTraffic < (this.o.keepaliveMs ?? 3000)) return;
    this.lastTraffic = Date.now();
    this.o.probe().catch(() => {}); // the outcome lands in health via the exchange hooks
  }
}
