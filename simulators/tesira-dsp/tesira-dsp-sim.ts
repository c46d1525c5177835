import { SerialPort } from 'serialport';
import { BANNER, LineSplitter, formatErr } from '../../common/protocols/tesira-ttp/index.js';
import { NO_FAULTS, type Faults, type SimulatorHandle } from '../faults.js';
import { DEFAULT_BLOCKS, defaultPresets, type BlockSpec, type PresetStep } from './blocks.js';
import { garbageBytes } from './garbage.js';
import { MeterWalk } from './meter-walk.js';
import { TtpSession } from './ttp-session.js';

export interface TesiraDspSimOptions {
  /** The simulator's end of the serial cable (a pty from openPtyPair). */
  path: string;
  /** Tesira's RS-232 TTP default is 115200 8N1. */
  baudRate?: number;
  blocks?: BlockSpec[];
  presets?: Record<number, PresetStep[]>;
  /** How often meters move and subscriptions are checked. */
  tickMs?: number;
  /** Echo each command (RS-232 TTP does; default true). False: a link that does not, e.g. a serial gateway. */
  echo?: boolean;
}

/** A Tesira server answering TTP on an RS-232 port. */
export class TesiraDspSim implements SimulatorHandle {
  readonly session: TtpSession;
  private faults: Faults = { ...NO_FAULTS };
  private port?: SerialPort;
  private splitter = new LineSplitter();
  private timer?: NodeJS.Timeout;
  private running = false;
  /** Rebooting: deaf until the banner. */
  private booting = false;
  private lastTick = Date.now();
  private readonly walk = new MeterWalk();
  /** Meter channels held at a scripted level (tests of what follows the talker), by `tag#index`. */
  private readonly scripted = new Map<string, number>();
  /** Commands are served in order, each echo after the previous reply. */
  private outbox: Promise<void> = Promise.resolve();

  constructor(private readonly opts: TesiraDspSimOptions) {
    const blocks = opts.blocks ?? DEFAULT_BLOCKS;
    this.session = new TtpSession(blocks, opts.presets ?? defaultPresets(blocks));
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.timer = setInterval(() => this.tick(), this.opts.tickMs ?? 50);
    if (!this.faults.offline) await this.powerOn();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearInterval(this.timer);
    await this.closePort();
  }

  health() {
    return { state: this.running ? ('running' as const) : ('stopped' as const), faults: { ...this.faults } };
  }

  async setFaults(change: Partial<Faults>): Promise<void> {
    const wasOffline = this.faults.offline;
    this.faults = { ...this.faults, ...change };
    if (!wasOffline && this.faults.offline) await this.closePort();
    if (wasOffline && !this.faults.offline && this.running) await this.powerOn();
  }

  level(tag: string, index: number): number {
    return this.block(tag).level[index - 1];
  }

  mute(tag: string, index: number): boolean {
    return this.block(tag).mute[index - 1];
  }

  /** Holds one meter channel at `db` (a scripted talker) or, with null, lets it wander like speech again. */
  scriptMeter(tag: string, index: number, db: number | null): void {
    const b = this.block(tag);
    if (b.spec.type !== 'meter' || index < 1 || index > b.spec.channels) throw new Error(`no meter channel ${tag} ${index}`);
    if (db === null) this.scripted.delete(`${tag}#${index}`);
    else this.scripted.set(`${tag}#${index}`, db);
  }

  private block(tag: string) {
    const b = this.session.blocks.get(tag);
    if (!b) throw new Error(`no block ${tag}`);
    return b;
  }

  /**
   * The unit reboots with the cable still plugged in: it stops answering for `bootMs`, loses the
   * session (subscriptions, verbose) and greets with the banner, as after power on.
   */
  async reboot(bootMs = 200): Promise<void> {
    this.booting = true;
    this.resetSession();
    await new Promise((r) => setTimeout(r, bootMs));
    this.booting = false;
    this.write(`\r\n${BANNER}\r\n\r\n`);
  }

  /** A technician pushes a configuration (Tesira software "Send"): subscriptions end, and no banner says so. */
  pushConfiguration(): void {
    this.session.clearSubscriptions();
  }

  private resetSession(): void {
    this.session.clearSubscriptions();
    this.session.verbose = true;
  }

  /** Opens the port and greets like a freshly booted server; a power cycle loses the subscriptions. */
  private async powerOn(): Promise<void> {
    this.resetSession();
    this.splitter = new LineSplitter();
    const port = new SerialPort({ path: this.opts.path, baudRate: this.opts.baudRate ?? 115200, autoOpen: false });
    await new Promise<void>((res, rej) => port.open((e) => (e ? rej(e) : res())));
    await new Promise<void>((res) => port.flush(() => res())); // drop what was sent while "off"
    port.on('data', (d: Buffer) => this.splitter.push(d).forEach((l) => this.onLine(l)));
    port.on('error', () => {}); // the cable was pulled: 'close' follows
    port.on('close', () => this.port === port && (this.port = undefined));
    this.port = port;
    this.write(`\r\n${BANNER}\r\n\r\n`);
  }

  private async closePort(): Promise<void> {
    const port = this.port;
    this.port = undefined;
    if (port?.isOpen) await new Promise<void>((res) => port.close(() => res()));
  }

  /**
   * One command at a time, as the server does: echo (RS-232 TTP echoes each command), work for
   * `latencyMs`, reply; the next command's echo comes only after this reply.
   */
  private onLine(line: string): void {
    if (this.faults.offline || this.booting) return;
    this.outbox = this.outbox.then(async () => {
      if (this.faults.garbage) return this.write(Buffer.concat([garbageBytes(), garbageBytes()]));
      if (this.opts.echo !== false) this.write(`${line}\r\n`);
      const delay = this.faults.latencyMs;
      if (delay > 0) await new Promise((r) => setTimeout(r, delay));
      const reply = this.faults.protocolError ? [formatErr('GENERAL_FAILURE')] : this.session.execute(line);
      this.write(reply.map((l) => `${l}\r\n`).join(''));
    });
  }

  private write(data: string | Buffer): void {
    if (this.port?.isOpen) this.port.write(data);
  }

  private tick(): void {
    const now = Date.now();
    const dt = now - this.lastTick;
    this.lastTick = now;
    for (const b of this.session.blocks.values())
      if (b.spec.type === 'meter') b.meter = b.meter.map((db, i) => this.scripted.get(`${b.spec.tag}#${i + 1}`) ?? this.walk.step(db, dt));
    if (!this.port || this.faults.offline || this.booting) return;
    const due = this.session.publishDue(now);
    if (due.length === 0) return;
    this.write(this.faults.garbage ? Buffer.concat([garbageBytes(), garbageBytes()]) : due.map((l) => `${l}\r\n`).join(''));
  }
}
