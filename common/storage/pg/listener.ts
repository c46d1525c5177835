import pg from 'pg';
import type { Logger } from '../../log.js';

// LISTEN on one channel over a dedicated connection (a pooled one would be handed to others), so a
// node learns of other nodes' writes. The connection is rebuilt with backoff when it drops; since
// notifications sent meanwhile are lost, `onReconnect` runs after every rebuild: the caller reloads.

export interface PgListener {
  /** Resolves once the first LISTEN is in place. */
  ready: Promise<void>;
  close(): Promise<void>;
}

export function listenPg(opts: {
  url: string;
  channel: string;
  onNotify: (payload: string) => void;
  onReconnect: () => void;
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
    if (first) {
      first = false;
      markReady();
    } else opts.onReconnect(); // what was written while we were away
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
