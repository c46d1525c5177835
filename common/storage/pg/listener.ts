import pg from 'pg';
import type { Logger } from '../../log.js';

// LISTEN on one channel over a dedicated connection (a pooled one would be handed to others), so a
// node learns of other nodes' writes. The connection is rebuilt with backoff when it drops. Notices sent
// while no LISTEN is in place are lost — before the first one too (between the caller's first load and
// LISTEN) — so `onListening` runs each time LISTEN is in place, the first time included: the caller reloads.
// `ready` waits for that first reload, so a view opened is never older than the LISTEN that keeps it.

export interface PgListener {
  /** Resolves once the first LISTEN is in place. */
  ready: Promise<void>;
  close(): Promise<void>;
}

export function listenPg(opts: {
  url: string;
  channel: string;
  onNotify: (payload: string) => void;
  /** LISTEN is in place (first time or again): reload what may have been written meanwhile. */
  onListening: () => unknown;
  logger: Logger;
}): PgListener {
  let client: pg.Client | undefined;
  let closed = false;
  let delayMs = 250;
  let timer: NodeJS.Timeout | undefined;
  let first = true;
  let markReady!: () => void;
  const ready = new Promise<void>((r) => (markReady = r));

  const connect = async () => {
    if (closed) return;
    const c = new pg.Client({ connectionString: opts.url, connectionTimeoutMillis: 5000, keepAlive: true });
    client = c;
    const retry = (err: unknown) => {
      if (client !== c || closed) return;
      client = undefined;
      c.end().catch(() => {});
      opts.logger.warn({ channel: opts.channel, err: (err as Error)?.message, retryMs: delayMs }, 'database listener lost; reconnecting');
      timer = setTimeout(connect, delayMs);
      delayMs = Math.min(delayMs * 2, 5000);
    };
    c.on('error', retry);
    c.on('end', () => retry(new Error('connection ended')));
    c.on('notification', (n) => n.channel === opts.channel && opts.onNotify(n.payload ?? ''));
    try {
      await c.connect();
      await c.query(`LISTEN ${pg.escapeIdentifier(opts.channel)}`);
    } catch (err) {
      retry(err);
      return;
    }
    delayMs = 250;
    const reloaded = Promise.resolve()
      .then(opts.onListening)
      .catch((err: Error) => opts.logger.warn({ channel: opts.channel, err: err?.message }, 'reload after LISTEN failed'));
    if (first) {
      first = false;
      void reloaded.then(markReady);
    }
  };
  void connect();

  return {
    ready,
    async close() {
      closed = true;
      clearTimeout(timer);
      const c = client;
      client = undefined;
      await c?.end().catch(() => {});
    },
  };
}
