import { isIP } from 'node:net';
import { hostname } from 'node:os';

// Which Host headers and browser Origins the hub answers. Host (against DNS rebinding: a page on
// evil.example whose name now resolves to the hub): an IP address (no name an attacker can point),
// localhost, this machine's name, the publicUrl's host, or `allowedHosts`. Origin: the hub itself (the
// Origin's host:port is the request's Host, already checked), the publicUrl's origin, or `allowedOrigins`.

export interface OriginPolicyConfig {
  publicUrl: string;
  allowedOrigins: readonly string[];
  allowedHosts: readonly string[];
}

/** `host[:port]` or `[v6]:port` → the host name, lower-case, without brackets or port. */
export function hostOnly(hostHeader: string): string {
  const h = hostHeader.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') > 0 ? h.indexOf(']') : undefined);
  return isIP(h) === 6 ? h : h.replace(/:\d+$/, '').replace(/\.$/, '');
}

export function createOriginPolicy(config: OriginPolicyConfig) {
  const pub = config.publicUrl ? new URL(config.publicUrl) : undefined;
  const hosts = new Set(
    ['localhost', hostname().toLowerCase(), ...(pub ? [hostOnly(pub.host)] : []), ...config.allowedHosts.map(hostOnly)].filter(Boolean),
  );
  const origins = new Set([...(pub ? [pub.origin] : []), ...config.allowedOrigins.map((o) => new URL(o).origin)]);
  return {
    hostAllowed(hostHeader: string | undefined): boolean {
      if (!hostHeader) return false;
      const h = hostOnly(hostHeader);
      return isIP(h) !== 0 || hosts.has(h) || h.endsWith('.localhost');
    },
    /** A browser Origin: the hub's own (same host:port as the request), the publicUrl's, or configured. */
    originAllowed(origin: string, hostHeader: string | undefined): boolean {
      let url: URL;
      try {
        url = new URL(origin);
      } catch {
        return false; // 'null' (sandboxed pages, file:), garbage
      }
      if (hostHeader && url.host === hostHeader.trim().toLowerCase()) return true;
      return origins.has(url.origin);
    },
  };
}
export type OriginPolicy = ReturnType<typeof createOriginPolicy>;
