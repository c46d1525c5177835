// HTTP-level authentication of the simulated camera: which credentials it takes (ONVIF Core §5.9: HTTP
// Digest and/or WS-UsernameToken, a per-camera setting on real units) and the Digest nonces it issued.
// What a real unit does, with sources:
//  - Hikvision set to "Digest" only answers a WS-Security request with 401, a Digest challenge and an
//    HTML page, not a SOAP fault: body as recorded in home-assistant/core#119024 (Hikvision NVR,
//    "Access Error: 401 -- Unauthorized"); challenge wording (quoted qop, realm "IP Camera(xxxx)",
//    hex nonce, stale="FALSE") as in jimm98y/SharpOnvif#11; agsh/onvif#294 (a WS-Security-only client
//    fails against it). Newer Hikvision firmwares challenge with SHA-256 (IOTechSystems/onvif#41) and
//    refuse a digest `uri` other than the request's ("The url does not match the nonce url").
import { randomBytes } from 'node:crypto';
import { challengeHeader, checkDigest, type DigestAlgorithm, parseCredentials } from '../../common/protocols/http-digest/index.js';

export const SIM_AUTH_MODES = ['ws-security', 'digest', 'both'] as const;
export type SimAuthMode = (typeof SIM_AUTH_MODES)[number];

export interface HttpRequestInfo {
  method: string;
  /** request-target as received */
  uri: string;
  authorization?: string;
}

export const UNAUTHORIZED_HTML =
  '<?xml version=\'1.0\' encoding=\'utf-8\'?> <head> <title>Unauthorized</title> <link rel="shortcut icon" href="data:image/x-icon;," type="image/x-icon"> </link> <body> <h2>Access Error: 401 -- Unauthorized</h2> <pre/> </body> </head>';

const MAX_NONCES = 256;

export function createDigestGate(o: { username: string; password: string; realm: string; algorithms: () => DigestAlgorithm[] }) {
  const nonces = new Map<string, number>(); // nonce → highest nc seen
  const issue = () => {
    const n = randomBytes(24).toString('hex');
    nonces.set(n, 0);
    if (nonces.size > MAX_NONCES) nonces.delete(nonces.keys().next().value!);
    return n;
  };
  return {
    /** Issued nonces forgotten (a reboot, their lifetime over): the next use is answered stale="TRUE". */
    forget(): void {
      nonces.clear();
    },
    /** One WWW-Authenticate value per algorithm, preferred first (RFC 7616 §3.7); a fresh nonce. */
    challenges(stale = false): string[] {
      const nonce = issue();
      return o.algorithms().map((algorithm) => challengeHeader({ realm: o.realm, nonce, algorithm, qop: 'auth', stale }));
    },
    /** ok, or why not; `stale` when the password was right but the nonce is not ours (any more). */
    check(req: HttpRequestInfo): { ok: true } | { ok: false; reason: string; stale: boolean } {
      if (!req.authorization) return { ok: false, reason: 'no Authorization header', stale: false };
      const p = parseCredentials(req.authorization);
      if (p?.algorithm && !o.algorithms().some((a) => a.toUpperCase() === p.algorithm!.toUpperCase())) {
        return { ok: false, reason: `algorithm ${p.algorithm} not offered`, stale: false };
      }
      const r = checkDigest(p, { method: req.method, uri: req.uri, username: o.username, password: o.password, realm: o.realm });
      if (!r.ok) return { ok: false, reason: r.reason, stale: false };
      const seen = nonces.get(r.nonce);
      if (seen === undefined) return { ok: false, reason: 'unknown nonce', stale: true };
      if (r.nc !== 0 && r.nc <= seen) return { ok: false, reason: 'nonce count replayed', stale: false };
      nonces.set(r.nonce, r.nc);
      return { ok: true };
    },
  };
}

export type DigestGate = ReturnType<typeof createDigestGate>;
