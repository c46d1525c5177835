import { X509Certificate } from 'node:crypto';
import { getCACertificates } from 'node:tls';
import { Agent, fetch as undiciFetch } from 'undici';

// How a room (gateway signaling, uploader, fleet reporter, `reception enroll` after the exchange) trusts
// the hub: exactly the CA that enrollment gave it (enrollment.json `caPem`), never whatever answers first.
// Without a caPem (a hub with a certificate from the province's CA, already in the system store): Node's
// bundled roots plus the system store. Certificate names are always checked (SANs against the URL's host).

export class HubTrustError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HubTrustError';
  }
}

export interface HubTrustOptions {
  /** PEM of the hub's CA (one certificate or a chain); undefined/'' → the system's roots. */
  caPem?: string;
  /** TCP + TLS handshake budget of each new connection (ms). */
  connectTimeoutMs?: number;
}

export interface HubTrust {
  /** 'enrollment': only the enrolled CA is trusted; 'system': Node's roots + the system store. */
  readonly source: 'enrollment' | 'system';
  /** The trusted roots as PEM strings (what `tls.connect({ ca })` takes). */
  readonly ca: string[];
  /** fetch that trusts exactly `ca` (http:// URLs work too: a loopback hub without TLS). */
  readonly fetch: typeof globalThis.fetch;
  /** Options for `new WebSocket(url, { ...trust.wsOptions, headers })` (the `ws` package). */
  readonly wsOptions: { ca: string[] };
  /** Closes the pooled connections of `fetch`. */
  close(): Promise<void>;
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Splits a PEM bundle into its certificates, each checked to be an X.509 CA certificate. */
export function parseCaPem(caPem: string): string[] {
  const blocks = caPem.match(PEM_BLOCK) ?? [];
  if (blocks.length === 0) throw new HubTrustError('caPem holds no PEM certificate (-----BEGIN CERTIFICATE-----)');
  return blocks.map((pem, i) => {
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(pem);
    } catch (err) {
      throw new HubTrustError(`caPem certificate ${i + 1} is not valid X.509: ${(err as Error).message}`);
    }
    if (!cert.ca) throw new HubTrustError(`caPem certificate ${i + 1} (${cert.subject.replace(/\n/g, ', ')}) is not a CA certificate`);
    return `${pem}\n`;
  });
}

/** Node's bundled roots, NODE_EXTRA_CA_CERTS and the operating system's store (a province CA installed there). */
export function systemRoots(): string[] {
  return [...new Set([...getCACertificates('default'), ...getCACertificates('system')])];
}

/** The hub trust of a room: a fetch and WebSocket options that accept only certificates from `caPem`. */
export function createHubTrust(opts: HubTrustOptions = {}): HubTrust {
  const enrolled = !!opts.caPem?.trim();
  const ca = enrolled ? parseCaPem(opts.caPem as string) : systemRoots();
  const agent = new Agent({ connect: { ca, rejectUnauthorized: true, timeout: opts.connectTimeoutMs ?? 10_000 } });
  const trustedFetch = ((input: Parameters<typeof globalThis.fetch>[0], init?: RequestInit) =>
    undiciFetch(input as Parameters<typeof undiciFetch>[0], {
      ...(init as Parameters<typeof undiciFetch>[1]),
      dispatcher: agent,
    })) as unknown as typeof globalThis.fetch;
  return {
    source: enrolled ? 'enrollment' : 'system',
    ca,
    fetch: trustedFetch,
    wsOptions: { ca },
    close: () => agent.close(),
  };
}
