import { randomBytes } from 'node:crypto';
import { SerialPort } from 'serialport';
import * as v from '../../common/protocols/visca/index.js';
import { NO_FAULTS, type Faults, type SimulatorHandle } from '../faults.js';
import { PtzModel } from '../ptz-model/ptz-model.js';
import { CameraCore, type CameraCoreOptions } from './camera-core.js';

export interface ViscaCameraSimOptions extends Partial<CameraCoreOptions> {
  /** The simulator's end of the serial cable (a pty from openPtyPair). */
  path: string;
  /** Sony cameras ship at 9600 8N1. */
  baudRate?: number;
  /** How often finished motions are turned into Completion messages. */
  tickMs?: number;
}

/** Random bytes that never decode as a VISCA reply, ending in 0xFF so the line resyncs after them. */
export function garbageReply(): Uint8Array {
  for (;;) {
    const bytes = Uint8Array.from([...randomBytes(3 + Math.floor(Math.random() * 10)), 0xff]);
    const { frames } = new v.ViscaFrameSplitter().push(bytes);
    if (frames.every((f) => !v.decodeReply(f))) return bytes;
  }
}

/** A VISCA camera on an RS-232 port, moving a PtzModel. */
export class ViscaCameraSim implements SimulatorHandle {
  readonly model = new PtzModel();
  readonly core: CameraCore;
  private faults: Faults = { ...NO_FAULTS };
  private port?: SerialPort;
  private splitter = new v.ViscaFrameSplitter();
  private ticker?: NodeJS.Timeout;
  private running = false;
  /** Replies leave in order even when latency delays them. */
  private lastDue = 0;
  private readonly pending = new Set<NodeJS.Timeout>();

  constructor(private readonly opts: ViscaCameraSimOptions) {
    this.core = new CameraCore(this.model, (b) => this.reply(b), { ...opts, address: opts.address ?? 1 });
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.ticker = setInterval(() => this.core.tick(), this.opts.tickMs ?? 20);
    if (!this.faults.offline) await this.plugIn();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearInterval(this.ticker);
    await this.unplug();
  }

  health() {
    return { state: this.running ? ('running' as const) : ('stopped' as const), faults: { ...this.faults } };
  }

  async setFaults(change: Partial<Faults>): Promise<void> {
    const wasOffline = this.faults.offline;
    this.faults = { ...this.faults, ...change };
    if (!wasOffline && this.faults.offline) await this.unplug();
    if (wasOffline && !this.faults.offline && this.running) await this.plugIn();
  }

  private async plugIn(): Promise<void> {
    this.splitter = new v.ViscaFrameSplitter();
    const port = new SerialPort({ path: this.opts.path, baudRate: this.opts.baudRate ?? 9600, autoOpen: false });
    await new Promise<void>((res, rej) => port.open((e) => (e ? rej(e) : res())));
    await new Promise<void>((res) => port.flush(() => res())); // drop what was sent while unplugged
    port.on('data', (d: Buffer) => this.splitter.push(d).frames.forEach((f) => this.onFrame(f)));
    port.on('error', () => {}); // the cable was pulled: 'close' follows
    port.on('close', () => this.port === port && (this.port = undefined));
    this.port = port;
  }

  private async unplug(): Promise<void> {
    for (const t of this.pending) clearTimeout(t);
    this.pending.clear();
    const port = this.port;
    this.port = undefined;
    if (port?.isOpen) await new Promise<void>((res) => port.close(() => res()));
  }

  private onFrame(frame: Uint8Array): void {
    const decoded = v.decodeCommand(frame);
    if (!decoded || this.faults.offline) return;
    if (this.faults.protocolError) {
      if (decoded.address !== this.core.address && decoded.address !== v.BROADCAST) return;
      // Inquiries have no socket: a syntax error; commands: "not executable" on socket 1.
      const inquiry = frame[1] === 0x09;
      return this.reply(inquiry ? v.errorReply(this.core.address, 0, 0x02) : v.errorReply(this.core.address, 1, 0x41));
    }
    this.core.handle(decoded);
  }

  private reply(bytes: Uint8Array): void {
    const out = this.faults.garbage ? garbageReply() : bytes;
    const due = Math.max(this.lastDue, Date.now() + this.faults.latencyMs);
    this.lastDue = due;
    if (due <= Date.now()) return this.write(out);
    const t = setTimeout(() => {
      this.pending.delete(t);
      this.write(out);
    }, due - Date.now());
    this.pending.add(t);
  }

  private write(bytes: Uint8Array): void {
    if (this.port?.isOpen) this.port.write(Buffer.from(bytes));
  }
}
