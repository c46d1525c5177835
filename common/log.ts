import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

// One root logger per process; modules take a child tagged with their name (convention 8).
// JSON to stdout: journald captures it in production, the demo pretty-prints nothing on purpose.
// Never log credentials (convention 8): fastify logs each request's URL, and a WebSocket or a WHEP player
// may carry `?token=`; its value (and any other credential in the query) is written as [redacted].

/** Query parameters whose value is a credential. */
const CREDENTIAL_PARAMS = /^(token|access_token|id_token|refresh_token|secret|password|pin|code|ticket|key|api_?key|sig|signature)$/i;

/** A request URL with the values of its credential query parameters replaced by `[redacted]`. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const query = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      let decoded = name;
      try {
        decoded = decodeURIComponent(name.replace(/\+/g, ' '));
      } catch {}
      return CREDENTIAL_PARAMS.test(decoded.trim()) ? `${name}=[redacted]` : pair;
    })
    .join('&');
  return `${url.slice(0, q)}?${query}`;
}

interface LoggedRequest {
  method?: string;
  url?: string;
  headers?: Record<string, unknown>;
  host?: string;
  ip?: string;
  socket?: { remotePort?: number };
}

/** fastify's request serializer (method, url, host, remote address and port), the URL without credentials. */
function req(r: LoggedRequest) {
  return {
    method: r.method,
    url: typeof r.url === 'string' ? redactUrl(r.url) : r.url,
    version: r.headers?.['accept-version'],
    host: r.host,
    remoteAddress: r.ip,
    remotePort: r.socket?.remotePort,
  };
}

export function createRootLogger(processName: string, level = process.env.LOG_LEVEL ?? 'info', destination?: DestinationStream): Logger {
  return pino({ name: processName, level, base: { pid: process.pid }, serializers: { req } }, destination);
}

export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
