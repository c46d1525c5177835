import { EventEmitter } from 'node:events';
import WebSocket from 'ws';
import type { Logger } from '../../common/log.js';
import {
  SIGNALING_PROTOCOL,
  type ClientMessage,
  type HearingInfo,
  type HubMessage,
  type ParticipantInfo,
} from '../../common/contracts/signaling/messages.js';
import { parseHubMessage } from '../../common/contracts/signaling/parse-message.js';
import { createHubProbe } from './hub-probe.js';

export interface SignalConnectionOptions {
  url: string;
  roomId: string;
  roomName: string;
  secret: string;
  /** TLS trust of the hub (the enrollment's CA: common/enrollment/hub-link.ts). */
  wsOptions?: { ca?: string[] };
  logger: Logger;
  /** No message from the hub for this long (pongs included) = a dead link, even if TCP says nothing. Default 8 s. */
  idleTimeoutMs?: number;
  /** Default 2 s: a lost link shows within a few pings. */
  pingIntervalMs?: number;
  /**
   * Nothing heard for this long (default 4 s, two pings): ask the hub on a fresh connection (hub-probe.ts).
   * It answers while this socket stays silent = this socket is stuck in TCP's retransmission backoff
   * (after a blackout: 3.2 s, 6.4 s… between tries) — it is dropped so a new one is built at once.
   */
  staleAfterMs?: number;
  /** TCP + WebSocket handshake budget (default 2.5 s: one SYN retry; a new attempt beats TCP's 3 s one). */
  handshakeTimeoutMs?: number;
}

interface SignalEvents {
  welcome: [ParticipantInfo, HearingInfo | null];
  message: [HubMessage];
  malformed: [string];
  closed: [string];
  /** Round trip of a ping to the hub and its pong (ms): the link quality the kiosk shows. */
  rtt: [number];
}

/**
 * One signaling WebSocket to the hub, as a room: hello first, then typed hub messages. It never
 * reconnects itself; whoever owns it (the uplink) builds a new one, so each connection's state
 * starts clean. Malformed messages are reported and skipped; the socket stays open.
 */
export class SignalConnection extends EventEmitter<SignalEvents> {
  private readonly ws: WebSocket;
  private closedReason: string | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private pingTimer: NodeJS.Timeout | undefined;
  private staleTimer: NodeJS.Timeout | undefined;
  private handshakeTimer: NodeJS.Timeout | undefined;
  private lastHeardAt = 0;
  private probing = false;

  constructor(private readonly opts: SignalConnectionOptions) {
    super();
    this.ws = new WebSocket(opts.url, {
      ...opts.wsOptions,
      headers: { authorization: `Bearer ${opts.secret}` },
      handshakeTimeout: opts.handshakeTimeoutMs ?? 2500, // and handshakeTimer below
      maxPayload: 128 * 1024,
    });
    // Our own deadline for TCP + TLS + upgrade: ws's handshakeTimeout is a socket idle timeout, and through
    // a TLS hub in a blackout the attempts were seen taking 5 s, not 2.5 (chaos blackout-30s).
    const handshakeMs = opts.handshakeTimeoutMs ?? 2500;
    this.handshakeTimer = setTimeout(() => this.finish(`signaling error: no handshake within ${handshakeMs} ms`), handshakeMs);
    this.ws.on('open', () => {
      clearTimeout(this.handshakeTimer);
      this.send({ type: 'hello', protocol: SIGNALING_PROTOCOL, kind: 'room', id: opts.roomId, name: opts.roomName });
      const ping = () => this.send({ type: 'ping', at: Date.now() });
      ping(); // a first round trip at once: the kiosk shows the link quality from the start
      this.pingTimer = setInterval(ping, opts.pingIntervalMs ?? 2000);
      this.touch();
      this.watchStale();
    });
    this.ws.on('message', (raw: Buffer) => this.onRaw(raw));
    this.ws.on('unexpected-response', (_req, res) => this.finish(`hub refused the connection: HTTP ${res.statusCode}`));
    this.ws.on('error', (err) => this.finish(`signaling error: ${err.message}`));
    this.ws.on('close', (code, reason) => this.finish(`signaling closed (${code}${reason.length ? ` ${reason}` : ''})`));
  }

  get open(): boolean {
    return this.closedReason === undefined && this.ws.readyState === WebSocket.OPEN;
  }

  send(msg: ClientMessage): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(msg));
  }

  close(reason = 'closed by the gateway'): void {
    this.finish(reason);
  }

  private onRaw(raw: Buffer): void {
    this.touch();
    const parsed = parseHubMessage(raw);
    if (!parsed.ok) {
      this.opts.logger.warn({ code: parsed.code, message: parsed.message }, 'malformed hub message ignored');
      this.emit('malformed', parsed.message);
      return;
    }
    const msg = parsed.msg;
    if (msg.type === 'pong' && Number.isFinite(msg.at)) this.emit('rtt', Math.max(0, Date.now() - msg.at));
    if (msg.type === 'welcome') this.emit('welcome', msg.participant, msg.hearing);
    else if (msg.type === 'error' && msg.fatal) this.finish(`hub error ${msg.code}: ${msg.message}`);
    else this.emit('message', msg);
  }

  private touch(): void {
    this.lastHeardAt = Date.now();
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.finish('hub silent: no message or pong in time'), this.opts.idleTimeoutMs ?? 8000);
  }

  /** A silent socket while the hub answers a fresh connection: this socket is the problem (see staleAfterMs). */
  private watchStale(): void {
    const staleAfter = this.opts.staleAfterMs ?? 4000;
    const probe = createHubProbe({ signalUrl: this.opts.url, ca: this.opts.wsOptions?.ca, timeoutMs: 1000 });
    const silent = () => Date.now() - this.lastHeardAt > staleAfter;
    this.staleTimer = setInterval(() => {
      if (!silent() || this.probing || this.closedReason !== undefined) return;
      this.probing = true;
      void probe().then((answers) => {
        this.probing = false;
        if (answers && silent()) this.finish('hub answers a new connection, this one is silent (stuck after a link loss)');
      });
    }, 500);
  }

  /** First reason wins; listeners hear `closed` exactly once. */
  private finish(reason: string): void {
    if (this.closedReason !== undefined) return;
    this.closedReason = reason;
    clearTimeout(this.idleTimer);
    clearInterval(this.pingTimer);
    clearInterval(this.staleTimer);
    clearTimeout(this.handshakeTimer);
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.terminate();
    this.emit('closed', reason);
  }
}
