import { hostname, networkInterfaces } from 'node:os';
import { isIP } from 'node:net';

// Which names and addresses the hub's certificate must cover: the configured host names, the publicUrl's
// host, the listening address (every interface address when it listens on all of them) and loopback.

/** True for an address that only the machine itself reaches: 127.0.0.0/8, ::1, localhost. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const v4 = h.replace(/^::ffff:/, '');
  return isIP(v4) === 4 && v4.startsWith('127.');
}

const WILDCARD = new Set(['', '0.0.0.0', '::', '[::]', '0:0:0:0:0:0:0:0']);

/** The addresses of this machine's interfaces (IPv6 link-local left out: they need a zone). */
function interfaceAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((a) => a && !(a.family === 'IPv6' && a.address.toLowerCase().startsWith('fe80:')))
    .map((a) => a!.address);
}

/** Names for the internal CA's server certificate, deduplicated, lower case, without brackets. */
export function certificateNamesFor(host: string, publicUrl: string, hostnames: string[]): string[] {
  const names: string[] = [...hostnames];
  if (publicUrl) {
    try {
      names.push(new URL(publicUrl).hostname);
    } catch {
      // a malformed publicUrl is the schema's business; the certificate covers the rest
    }
  }
  if (WILDCARD.has(host)) names.push(hostname(), ...interfaceAddresses());
  else names.push(host);
  names.push('localhost', '127.0.0.1', '::1');
  const clean = names.map((n) => n.replace(/^\[|\]$/g, '').toLowerCase()).filter(Boolean);
  return [...new Set(clean)];
}
