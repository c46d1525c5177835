import { DeviceRejectedError, DeviceUnavailableError } from '../../../common/errors.js';
import type { Logger } from '../../../common/log.js';
import { decodeReply, hex, ViscaFrameSplitter, type ViscaReply } from '../../../common/protocols/visca/index.js';

// Request/reply matching on one VISCA line. VISCA replies carry no request id, so only one command
// is on the wire at a time; a move is "done" for the queue at its ACK, and its socket stays busy
// (the axes MOVING) until the camera's Completion for that socket arrives.

export type AxisGroup = 'panTilt' | 'zoom';

export interface ViscaRequest {
  frame: Uint8Array;
  /** What ends the exchange: the ACK (moves), the Completion, or an inquiry reply of `payloadLength` bytes. */
  until: 'ack' | 'completion' | 'inquiry';
  payloadLength?: number;
  /** Axes this move drives: busy from its ACK until its Completion. */
  track?: AxisGroup[];
  /** Safe to send twice: resent once when the reply comes back garbled (inquiries). */
  idempotent?: boolean;
  /** Epoch ms after which the caller gets DeviceUnavailableError. */
  deadline: number;
}

interface Pending extends ViscaRequest {
  resolve(r: ViscaReply): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout;
  ack?: number;
  resent?: boolean;
  garbledAt?: number;
}

export interface ExchangeHooks {
  write(bytes: Uint8Array, done: (err?: Error | null) => void): void;
  /** A well-formed reply arrived: the camera is there. */
  answered(): void;
  /** No reply in time, or only garbage. */
  trouble(reason: string): void;
}

export class ViscaExchange {
  private readonly queue: Pending[] = [];
  private current?: Pending;
  private splitter = new ViscaFrameSplitter();
  private readonly sockets = new Map<number, AxisGroup[]>();

  constructor(
    private readonly id: string,
    private readonly address: number,
    private readonly hooks: ExchangeHooks,
    private readonly log: Logger,
  ) {}

  request(req: ViscaRequest): Promise<ViscaReply> {
    return new Promise((resolve, reject) => {
      const ms = Math.max(0, req.deadline - Date.now());
      const p: Pending = { ...req, resolve, reject, timer: setTimeout(() => this.timeout(p, ms), ms) };
      this.queue.push(p);
      this.pump();
    });
  }

  busy(group: AxisGroup): boolean {
    return [...this.sockets.values()].some((g) => g.includes(group));
  }

  idle(): boolean {
    return !this.current && this.queue.length === 0;
  }

  /** The port went away: everything waiting fails now, not at its deadline. */
  failAll(reason: string): void {
    this.splitter = new ViscaFrameSplitter();
    this.sockets.clear();
    for (const p of [...(this.current ? [this.current] : []), ...this.queue]) this.settle(p, new DeviceUnavailableError(this.id, reason));
  }

  receive(chunk: Uint8Array): void {
    const { frames, dropped } = this.splitter.push(chunk);
    if (dropped > 0) this.garbage(`${dropped} stray bytes`);
    for (const f of frames) {
      const r = decodeReply(f);
      if (r) this.onReply(r, f);
      else this.garbage(`undecodable packet ${hex(f)}`);
    }
  }

  private pump(): void {
    if (this.current || this.queue.length === 0) return;
    const p = this.queue.shift()!;
    this.current = p;
    this.send(p);
  }

  private send(p: Pending): void {
    p.ack = undefined;
    this.hooks.write(p.frame, (err) => err && this.settle(p, new DeviceUnavailableError(this.id, `write failed: ${err.message}`)));
  }

  private settle(p: Pending, result: ViscaReply | Error): void {
    clearTimeout(p.timer);
    const i = this.queue.indexOf(p);
    if (i >= 0) this.queue.splice(i, 1);
    if (this.current === p) this.current = undefined;
    if (result instanceof Error) p.reject(result);
    else p.resolve(result);
    this.pump();
  }

  private timeout(p: Pending, ms: number): void {
    const reason = `no reply within ${ms} ms`;
    this.hooks.trouble(reason);
    this.settle(p, new DeviceUnavailableError(this.id, reason));
  }

  private garbage(what: string): void {
    this.log.warn({ what }, 'garbage on the VISCA line');
    const p = this.current;
    if (!p || (p.garbledAt !== undefined && Date.now() - p.garbledAt < 100)) return; // same burst
    p.garbledAt = Date.now();
    this.splitter = new ViscaFrameSplitter();
    if (p.idempotent && !p.resent) {
      p.resent = true;
      setTimeout(() => {
        if (this.current !== p) return;
        p.garbledAt = undefined;
        this.send(p);
      }, 50); // let the burst end, then ask again
      return;
    }
    this.hooks.trouble('garbled reply');
    this.settle(p, new DeviceUnavailableError(this.id, 'camera answered garbage'));
  }

  private onReply(r: ViscaReply, frame: Uint8Array): void {
    if (r.type === 'address-set' || r.type === 'if-clear' || r.address !== this.address) return;
    this.hooks.answered();
    const p = this.current;
    if (r.type === 'ack') {
      if (!p || p.until === 'inquiry' || p.ack !== undefined) return this.log.debug({ frame: hex(frame) }, 'stray ACK');
      p.ack = r.socket;
      if (p.track) this.track(r.socket, p.track);
      if (p.until === 'ack') this.settle(p, r);
    } else if (r.type === 'completion') {
      if (r.payload.length > 0) {
        if (p?.until === 'inquiry' && r.payload.length === p.payloadLength) this.settle(p, r);
        else this.log.debug({ frame: hex(frame) }, 'stray inquiry reply (late answer to a timed-out request?)');
      } else if (p && p.until !== 'inquiry' && (r.socket === 0 ? p.ack === undefined : p.ack === r.socket)) {
        this.sockets.delete(r.socket);
        this.settle(p, r);
      } else this.sockets.delete(r.socket); // a move that was ACKed earlier has ended
    } else {
      const ours =
        p && (p.until === 'inquiry' ? r.socket === 0 : p.ack === undefined ? r.code !== 0x04 && r.code !== 0x05 : p.ack === r.socket);
      this.sockets.delete(r.socket);
      if (ours) this.settle(p, new DeviceRejectedError(this.id, `${r.reason} (${hex(frame)})`));
      else this.log.info({ frame: hex(frame), reason: r.reason }, 'camera ended a running command');
    }
  }

  /** Newest move wins: a socket that drove the same axes no longer counts as moving them. */
  private track(socket: number, groups: AxisGroup[]): void {
    for (const [s, g] of this.sockets) {
      const left = g.filter((x) => !groups.includes(x));
      if (left.length) this.sockets.set(s, left);
      else this.sockets.delete(s);
    }
    this.sockets.set(socket, groups);
  }
}
