// A Janus session over its documented HTTP API (janus.transport.http): create a session, attach plugin
// handles, plugin messages (with a JSEP), trickle, keepalive; asynchronous answers and the handles' own
// events (webrtcup, hangup…) come back on one long poll per session and are matched by transaction / sender.
// Every request carries the API secret, has a deadline and fails with an error naming the URL; a session
// Janus no longer knows (it restarted) or a Janus that stops answering marks the session lost.
import { randomUUID } from 'node:crypto';
import { JanusRefusedError, MediaUnavailableError } from './janus-errors.js';

export interface JanusEvent {
  janus: string;
  transaction?: string;
  sender?: number;
  session_id?: number;
  data?: Record<string, unknown>;
  plugindata?: { plugin: string; data: Record<string, unknown> };
  jsep?: { type: 'offer' | 'answer'; sdp: string };
  error?: { code: number; reason: string };
}

export interface JanusEndpoint {
  /** http://HOST:PORT/janus */
  url: string;
  /** janus.jcfg general.api_secret ("" = none) */
  apiSecret?: string;
  /** deadline of one request (an asynchronous plugin answer included) */
  timeoutMs?: number;
}

/** Janus error 458: "No such session" (its process restarted, or the session timed out). */
const NO_SUCH_SESSION = 458;

/** One request to Janus; an unreachable or silent Janus is a MediaUnavailableError naming the URL. */
async function request(ep: JanusEndpoint, url: string, what: string, body?: Record<string, unknown>): Promise<JanusEvent> {
  const ms = ep.timeoutMs ?? 10_000;
  let r: Response;
  try {
    r = await fetch(url, {
      method: body ? 'POST' : 'GET',
      headers: body ? { 'content-type': 'application/json' } : undefined,
      body: body ? JSON.stringify({ transaction: randomUUID(), ...body, ...(ep.apiSecret ? { apisecret: ep.apiSecret } : {}) }) : undefined,
      signal: AbortSignal.timeout(ms),
    });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    const why = e.name === 'TimeoutError' ? `no answer within ${ms} ms` : (e.cause?.code ?? e.cause?.message ?? e.message);
    throw new MediaUnavailableError(`${ep.url} (${what}): ${why}`);
  }
  const reply = (await r.json().catch(() => ({ janus: 'error', error: { code: r.status, reason: 'not JSON' } }))) as JanusEvent;
  if (reply.janus === 'error') throw new JanusRefusedError(what, reply.error?.code ?? 0, reply.error?.reason ?? '?');
  return reply;
}

/** GET /info: the server's version, or an error naming the URL (used at the hub's start). */
export async function janusInfo(ep: JanusEndpoint): Promise<{ version_string: string; plugins: Record<string, unknown> }> {
  const info = (await request(ep, `${ep.url}/info`, 'info')) as unknown as { version_string: string; plugins: Record<string, unknown> };
  // /info answers without the secret; a request that needs it tells us whether ours is right.
  const probe = await request(ep, ep.url, 'create', { janus: 'create' });
  const id = (probe.data as { id: number }).id;
  await request(ep, `${ep.url}/${id}`, 'destroy', { janus: 'destroy' }).catch(() => undefined);
  return info;
}

export class JanusSession {
  /** Why the session is gone (null while it works). */
  lost: string | null = null;
  private readonly pending = new Map<string, { resolve(e: JanusEvent): void; reject(e: Error): void }>();
  private readonly handlers = new Map<number, (e: JanusEvent) => void>();
  private readonly lostListeners: ((why: string) => void)[] = [];
  private readonly abort = new AbortController();
  private readonly keepalive: NodeJS.Timeout;

  private constructor(
    readonly ep: JanusEndpoint,
    readonly id: number,
  ) {
    void this.poll();
    this.keepalive = setInterval(() => void this.post({ janus: 'keepalive' }, 'keepalive').catch(() => undefined), 20_000);
  }

  static async create(ep: JanusEndpoint): Promise<JanusSession> {
    const r = await request(ep, ep.url, 'create', { janus: 'create' });
    return new JanusSession(ep, (r.data as { id: number }).id);
  }

  onLost(listener: (why: string) => void): void {
    this.lostListeners.push(listener);
  }

  async attach(plugin: string): Promise<number> {
    const r = await this.post({ janus: 'attach', plugin }, 'attach');
    return (r.data as { id: number }).id;
  }

  /** The handle's own events (webrtcup, hangup, media, slowlink, detached, plugin events without a transaction). */
  onEvent(handle: number, listener: (e: JanusEvent) => void): void {
    this.handlers.set(handle, listener);
  }

  /**
   * A plugin request; synchronous ones (create, destroy…) answer in the reply, asynchronous ones (join, publish,
   * start) with `ack` and then an event on the long poll: both resolve with the event, within the deadline.
   */
  async message(handle: number, body: Record<string, unknown>, jsep?: JanusEvent['jsep']): Promise<JanusEvent> {
    const what = String(body.request);
    const transaction = randomUUID();
    const evented = new Promise<JanusEvent>((resolve, reject) => this.pending.set(transaction, { resolve, reject }));
    evented.catch(() => undefined);
    try {
      const reply = await this.post({ janus: 'message', transaction, body, ...(jsep ? { jsep } : {}) }, what, handle);
      const ms = this.ep.timeoutMs ?? 10_000;
      const event = reply.janus === 'ack' ? await deadline(evented, ms, `${this.ep.url} (${what})`) : reply;
      const data = event.plugindata?.data;
      if (data?.error) throw new JanusRefusedError(what, Number(data.error_code ?? 0), String(data.error));
      return event;
    } finally {
      this.pending.delete(transaction);
    }
  }

  trickle(handle: number, candidate: { candidate: string; sdpMid?: string } | { completed: true }): Promise<JanusEvent> {
    return this.post({ janus: 'trickle', candidate }, 'trickle', handle);
  }

  async detach(handle: number): Promise<void> {
    this.handlers.delete(handle);
    if (!this.lost) await this.post({ janus: 'detach' }, 'detach', handle).catch(() => undefined);
  }

  async destroy(): Promise<void> {
    clearInterval(this.keepalive);
    if (!this.lost) await this.post({ janus: 'destroy' }, 'destroy').catch(() => undefined);
    this.markLost('destroyed');
  }

  private async post(msg: Record<string, unknown>, what: string, handle?: number): Promise<JanusEvent> {
    if (this.lost) throw new MediaUnavailableError(`${this.ep.url}: session lost (${this.lost})`);
    const url = handle === undefined ? `${this.ep.url}/${this.id}` : `${this.ep.url}/${this.id}/${handle}`;
    try {
      return await request(this.ep, url, what, msg);
    } catch (err) {
      if (err instanceof JanusRefusedError && err.code === NO_SUCH_SESSION) this.markLost(err.message);
      throw err;
    }
  }

  private markLost(why: string): void {
    if (this.lost) return;
    this.lost = why;
    clearInterval(this.keepalive);
    this.abort.abort();
    for (const w of this.pending.values()) w.reject(new MediaUnavailableError(`${this.ep.url}: session lost (${why})`));
    this.pending.clear();
    for (const l of this.lostListeners) l(why);
  }

  private dispatch(e: JanusEvent): void {
    const waiter = e.transaction ? this.pending.get(e.transaction) : undefined;
    if (waiter && e.janus === 'event') return waiter.resolve(e);
    if (e.sender !== undefined) this.handlers.get(e.sender)?.(e);
  }

  private async poll(): Promise<void> {
    const secret = this.ep.apiSecret ? `&apisecret=${encodeURIComponent(this.ep.apiSecret)}` : '';
    let failures = 0;
    while (!this.abort.signal.aborted) {
      try {
        // Janus holds a long poll up to 30 s and then answers a keepalive.
        const r = await fetch(`${this.ep.url}/${this.id}?maxev=20${secret}`, {
          signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(45_000)]),
        });
        const body = (await r.json()) as JanusEvent | JanusEvent[];
        failures = 0;
        for (const e of Array.isArray(body) ? body : [body]) {
          if (e.janus === 'error' && e.error?.code === NO_SUCH_SESSION)
            return this.markLost(`janus forgot session ${this.id} (it restarted?)`);
          this.dispatch(e);
        }
      } catch (err) {
        if (this.abort.signal.aborted) return;
        // Two failed polls in a row: Janus is gone (its media with it), not a hiccup on loopback.
        if (++failures >= 2) return this.markLost(`janus at ${this.ep.url} unreachable: ${(err as Error).message}`);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }
}

function deadline<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new MediaUnavailableError(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
