// A Janus session over its documented HTTP API (janus.transport.http): create a session, attach plugin
// handles, send plugin messages (with a JSEP), trickle, keepalive; asynchronous answers come back on
// one long poll per session (GET /janus/<session>) and are matched to their request by transaction.
import { randomUUID } from 'node:crypto';

export interface JanusEvent {
  janus: string;
  transaction?: string;
  sender?: number;
  plugindata?: { plugin: string; data: Record<string, unknown> };
  jsep?: { type: 'offer' | 'answer'; sdp: string };
  error?: { code: number; reason: string };
}

export class JanusSession {
  private pending = new Map<string, { resolve(e: JanusEvent): void; reject(e: Error): void }>();
  private abort = new AbortController();
  private keepalive: NodeJS.Timeout;

  private constructor(
    readonly base: string,
    readonly id: number,
  ) {
    void this.poll();
    this.keepalive = setInterval(() => void this.post(`${base}/${id}`, { janus: 'keepalive' }).catch(() => undefined), 25_000);
  }

  static async create(base: string): Promise<JanusSession> {
    const r = await post(base, { janus: 'create', transaction: randomUUID() });
    return new JanusSession(base, (r as unknown as { data: { id: number } }).data.id);
  }

  async attach(plugin: string): Promise<number> {
    const r = await this.post(`${this.base}/${this.id}`, { janus: 'attach', plugin });
    return (r as unknown as { data: { id: number } }).data.id;
  }

  /**
   * A plugin request; synchronous requests (create, list…) answer in the reply, asynchronous ones (join,
   * publish, start) answer with `ack` and then an event on the long poll: both resolve with the event.
   */
  async message(handle: number, body: Record<string, unknown>, jsep?: JanusEvent['jsep']): Promise<JanusEvent> {
    const transaction = randomUUID();
    const evented = new Promise<JanusEvent>((resolve, reject) => this.pending.set(transaction, { resolve, reject }));
    const reply = await this.post(`${this.base}/${this.id}/${handle}`, { janus: 'message', transaction, body, ...(jsep ? { jsep } : {}) });
    const event = reply.janus === 'ack' ? await withTimeout(evented, 20_000, `janus ${String(body.request)}`) : reply;
    this.pending.delete(transaction);
    const data = event.plugindata?.data;
    if (data?.error) throw new Error(`janus ${String(body.request)}: ${String(data.error_code)} ${String(data.error)}`);
    return event;
  }

  trickleCompleted(handle: number): Promise<JanusEvent> {
    return this.post(`${this.base}/${this.id}/${handle}`, { janus: 'trickle', candidate: { completed: true } });
  }

  async destroy(): Promise<void> {
    clearInterval(this.keepalive);
    await this.post(`${this.base}/${this.id}`, { janus: 'destroy' }).catch(() => undefined);
    this.abort.abort();
  }

  private post(url: string, msg: Record<string, unknown>): Promise<JanusEvent> {
    return post(url, { transaction: randomUUID(), ...msg });
  }

  private async poll(): Promise<void> {
    while (!this.abort.signal.aborted) {
      try {
        const r = await fetch(`${this.base}/${this.id}?maxev=20`, { signal: this.abort.signal });
        const body = (await r.json()) as JanusEvent | JanusEvent[];
        for (const e of Array.isArray(body) ? body : [body]) {
          const waiter = e.transaction ? this.pending.get(e.transaction) : undefined;
          if (waiter && e.janus === 'event') waiter.resolve(e);
        }
      } catch {
        if (!this.abort.signal.aborted) await new Promise((r) => setTimeout(r, 200));
      }
    }
  }
}

async function post(url: string, msg: Record<string, unknown>): Promise<JanusEvent> {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(msg) });
  const reply = (await r.json()) as JanusEvent;
  if (reply.janus === 'error') throw new Error(`janus ${String(msg.janus)}: ${reply.error?.code} ${reply.error?.reason}`);
  return reply;
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
