import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

// A cheap look at the hub while the room's link waits to reconnect (common/supervise: probe): one HTTP
// request on a fresh TCP connection, whatever the answer (401, 404…) counts — only an answer tells the
// link is back. A fresh connection each time: a socket born in a blackout sits in TCP's SYN backoff
// (1 s, 3 s, 7 s…) long after the link returns; a new one every probe sends its SYN at once.

export interface HubProbeOptions {
  /** The signaling URL (ws:// or wss://): the probe asks its origin. */
  signalUrl: string;
  /** TLS trust of the hub (the enrollment's CA). */
  ca?: string[];
  /** Default 2 s. */
  timeoutMs?: number;
}

/** The probe request's URL: the signaling route itself over plain HTTP (no upgrade: the hub answers at once). */
function probeUrl(signalUrl: string): URL {
  const u = new URL(signalUrl);
  u.protocol = u.protocol === 'wss:' ? 'https:' : 'http:';
  return u;
}

export function createHubProbe(o: HubProbeOptions): () => Promise<boolean> {
  const url = probeUrl(o.signalUrl);
  // 2 s: a hub just restarted on a loaded box answered after 1.5–3 s (chaos kill-hub at load 30); a probe is
  // no longer one at a time (common/supervise: a new one every 0.5 s), so a longer wait delays no other.
  const timeoutMs = o.timeoutMs ?? 2000;
  return () =>
    new Promise<boolean>((resolve) => {
      const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(
        url,
        { method: 'GET', agent: false, timeout: timeoutMs, ...(o.ca?.length ? { ca: o.ca } : {}) },
        (res) => {
          res.resume();
          resolve(true);
          req.destroy();
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => resolve(false));
      req.end();
    });
}
