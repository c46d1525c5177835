import { createSupervisor } from '../../common/supervise/supervisor.js';

// The kiosk page's one reconnecting WebSocket client, used by both of its connections (the gateway's
// kiosk bridge and the daemon's events). It never gives up: a socket that fails to open or closes is
// replaced after 1 s, 2 s, 4 s, then every 5 s (common/supervise), until it is healthy again — at open by
// default, or when the owner says so (the bridge: once its video connection is up).

export interface ReconnectingSocketOptions {
  /** Asked before every attempt (a token may have changed). */
  url(): string;
  /** Subprotocols for each attempt (the kiosk bridge's one-use ticket), fetched afresh before it; a failure counts as a failed attempt. */
  protocols?(): Promise<string[]>;
  onMessage(data: string): void;
  onOpen?(): void;
  /** The current socket closed (or never opened); a new one follows. */
  onClose?(): void;
  /** `new WebSocket` threw (bad URL). */
  onError?(err: unknown): void;
  /** The backoff starts afresh at open (default) or only at healthy(). */
  healthyOnOpen?: boolean;
  /** Retry schedule (default 1 s doubling to 5 s); the kiosk bridge is on loopback and retries sooner. */
  backoff?: { baseMs: number; maxMs: number };
}

export function reconnectingSocket(o: ReconnectingSocketOptions) {
  let current: WebSocket | undefined; // open, from its open event on (the supervisor learns it a tick later)
  const link = createSupervisor<WebSocket>({
    baseMs: o.backoff?.baseMs ?? 1000,
    maxMs: o.backoff?.maxMs ?? 5000,
    healthyOnBuild: o.healthyOnOpen !== false,
    dispose: (ws) => ws.close(),
    build: async (ctx) => {
      const protocols = o.protocols ? await o.protocols() : undefined;
      return new Promise<WebSocket>((resolve, reject) => {
        let ws: WebSocket;
        try {
          ws = new WebSocket(o.url(), protocols);
        } catch (err) {
          o.onError?.(err);
          throw err;
        }
        let opened = false;
        ws.onopen = () => {
          opened = true;
          current = ws;
          resolve(ws);
          o.onOpen?.();
        };
        ws.onmessage = (e) => o.onMessage(String(e.data));
        ws.onclose = () => {
          if (current === ws) current = undefined;
          if (link.state === 'stopped') return;
          o.onClose?.();
          if (opened) ctx.lost('closed');
          else reject(new Error('closed before it opened'));
        };
        ws.onerror = () => ws.close();
      });
    },
  });
  void link.start();
  return {
    /** Sends when open; false otherwise. */
    send(msg: object): boolean {
      if (current?.readyState !== WebSocket.OPEN) return false;
      current.send(JSON.stringify(msg));
      return true;
    },
    get open(): boolean {
      return current?.readyState === WebSocket.OPEN;
    },
    /** Close the open socket; a new one follows (through onclose). */
    drop(): void {
      current?.close();
    },
    healthy: () => link.healthy(),
    stop: () => void link.stop(),
  };
}
