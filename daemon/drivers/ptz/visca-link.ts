import { SerialPort } from 'serialport';
import { DeviceUnavailableError, errorMessage } from '../../../common/errors.js';
import type { HealthTracker } from '../../../common/lifecycle.js';
import type { Logger } from '../../../common/log.js';
import { createSupervisor, type BuildContext } from '../../../common/supervise/supervisor.js';
import type { ViscaReply } from '../../../common/protocols/visca/index.js';
import { ViscaExchange, type AxisGroup, type ViscaRequest } from './visca-ptz-exchange.js';

// The RS-232 side of a VISCA camera: opens the port, reopens it with backoff (250 ms → 2 s,
// common/supervise) when it goes away (USB adapter pulled, socat pair recreated), and probes the
// camera so health means "answers".
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
  private opened = false;
  private keepalive?: NodeJS.Timeout;
  private lastTraffic = 0;
  private lastError = 'not connected yet';
  private readonly link = createSupervisor<SerialPort>({
    baseMs: 250,
    maxMs: 2000,
    build: (ctx) => this.connect(ctx),
    dispose: (port) => new Promise<void>((res) => (port.isOpen ? port.close(() => res()) : res())),
  });

  constructor(private readonly o: ViscaLinkOptions) {
    this.exchange = new ViscaExchange(
      o.id,
      o.address,
      {
        write: (bytes, done) => this.write(bytes, done),
        answered: () => o.tracker.set('online'),
        trouble: (reason) => o.tracker.set('offline', reason),
      },
      o.logger,
    );
  }

  /** Resolves after the first open attempt (and its probe); the link keeps retrying in the background. */
  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    this.opened = false;
    this.keepalive = setInterval(() => this.idleProbe(), 1000);
    await this.link.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.keepalive);
    this.port = undefined;
    this.exchange.failAll('driver stopped');
    await this.link.stop(); // closes the port
  }

  request(req: ViscaRequest): Promise<ViscaReply> {
    if (!this.port?.isOpen) return Promise.reject(new DeviceUnavailableError(this.o.id, `serial port ${this.o.path}: ${this.lastError}`));
    this.lastTraffic = Date.now();
    return this.exchange.request(req);
  }

  busy(group: AxisGroup): boolean {
    return this.exchange.busy(group);
  }

  /** One attempt for the supervisor: the open port, probed (a camera that does not answer yet is not a failed open). */
  private async connect(ctx: BuildContext): Promise<SerialPort> {
    let port: SerialPort;
    try {
      port = await this.open(ctx);
    } catch (err) {
      this.lastError = `cannot open: ${errorMessage(err)}`;
      this.o.tracker.set('offline', this.lastError);
      throw err;
    }
    if (this.opened) this.o.tracker.countReconnect();
    this.opened = true;
    await this.o.probe().catch((e) => this.o.logger.warn({ err: errorMessage(e) }, 'camera did not answer the probe'));
    return port;
  }

  /** Opens the port; its closing (unplugged) tells the supervisor through ctx.lost. */
  private async open(ctx: BuildContext): Promise<SerialPort> {
    const port = new SerialPort({ path: this.o.path, baudRate: this.o.baudRate, autoOpen: false });
    await new Promise<void>((res, rej) => port.open((e) => (e ? rej(e) : res())));
    await new Promise<void>((res) => port.flush(() => res())); // stale bytes from before the reconnect
    port.on('data', (d: Buffer) => this.exchange.receive(d));
    port.on('error', (e) => this.o.logger.warn({ err: e.message }, 'serial port error'));
    this.port = port;
    this.o.logger.info({ path: this.o.path }, 'serial port open');
    port.once('close', () => {
      if (this.port !== port) return;
      this.port = undefined;
      this.lastError = 'serial port closed (unplugged?)';
      this.exchange.failAll(this.lastError);
      if (!this.stopped) this.o.tracker.set('offline', this.lastError);
      this.o.logger.warn({ path: this.o.path }, this.lastError);
      ctx.lost(this.lastError);
    });
    return port;
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
