import { randomBytes } from 'node:crypto';
import {
  authorizationHeader,
  type ChosenChallenge,
  chooseChallenge,
  parseChallenges,
} from '../../../../common/protocols/http-digest/index.js';
import { buildRequest, parseFault, parseSoap, SOAP_CONTENT_TYPE, type XmlNode } from '../../../../common/protocols/onvif/index.js';
import { deviceRequests } from '../../../../common/protocols/onvif/soap-requests.js';
import { parseSystemDateAndTime } from '../../../../common/protocols/onvif/soap-device.js';
import { SoapFaultError } from './onvif-faults.js';

// Our own ONVIF SOAP client (node-onvif can neither answer an HTTP Digest challenge nor be aborted):
// one fetch per request, every request abortable (AbortSignal), authentication chosen per camera.
//  - WS-Security UsernameToken dated on the camera's clock (offset from GetSystemDateAndTime, which
//    ONVIF answers without authentication). A NotAuthorized fault re-reads the clock and retries once:
//    cameras' clocks jump (NTP correction, reboot resetting the RTC) and then refuse every token
//    (home-assistant/core#121952, lumeohq/onvif-rs#121).
//  - HTTP Digest (RFC 7616/2617) when the camera answers 401 with a Digest challenge (Hikvision set to
//    "Digest" only: agsh/onvif#294, home-assistant/core#119024); the nonce is reused with a growing nc.

export const AUTH_MODES = ['auto', 'ws-security', 'digest'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

export interface SoapClientOptions {
  username: string;
  password: string;
  /** auto: WS-Security, switching to Digest for good once the camera challenges. */
  auth: AuthMode;
  /** Device service URL: where the clock is read. */
  deviceUrl: string;
  now?: () => number;
  /** Told when the clock was re-read (offset in ms, camera minus ours). */
  onClockSync?: (offsetMs: number, reason: string) => void;
  onAuthChosen?: (auth: 'ws-security' | 'digest') => void;
}

interface Sent {
  status: number;
  body?: XmlNode;
  fault?: SoapFaultError;
  challenge?: ChosenChallenge;
  text: string;
}

const STALE_SOCKET = /^(UND_ERR_SOCKET|ECONNRESET|EPIPE)$/;
const causeCode = (e: unknown) => String((e as { cause?: { code?: unknown } })?.cause?.code ?? '');

/** The camera reports whole seconds and we estimate "when" from the round trip: within this, the clock did not move. */
const CLOCK_TOLERANCE_MS = 2000;
const notAuthorized = (f: SoapFaultError | undefined) => !!f && f.fault.subcodes.some((s) => /(^|:)NotAuthorized$/.test(s));

export class OnvifSoapClient {
  /** Camera clock minus ours (ms). */
  offsetMs = 0;
  private digest?: { challenge: ChosenChallenge; nc: number };
  private useWsse: boolean;
  private readonly now: () => number;

  constructor(private readonly o: SoapClientOptions) {
    this.now = o.now ?? Date.now;
    this.useWsse = o.auth !== 'digest';
  }

  /** 'digest' once a challenge was answered (or forced), else 'ws-security'. */
  get auth(): 'ws-security' | 'digest' {
    return this.useWsse ? 'ws-security' : 'digest';
  }

  /** Reads the camera's clock (unauthenticated GetSystemDateAndTime; Digest if the camera insists). */
  async syncClock(signal: AbortSignal, reason = 'connect'): Promise<number> {
    const t0 = this.now();
    const body = await this.request(this.o.deviceUrl, deviceRequests.getSystemDateAndTime(), signal, false);
    const cameraMs = parseSystemDateAndTime(body);
    if (cameraMs === undefined) throw new TypeError('GetSystemDateAndTime answer has no UTCDateTime');
    // The camera reports whole seconds: the midpoint of the round trip is the best guess of "when".
    this.offsetMs = Math.round(cameraMs - (t0 + this.now()) / 2);
    this.o.onClockSync?.(this.offsetMs, reason);
    return this.offsetMs;
  }

  /** One operation: resolves the SOAP Body, rejects SoapFaultError on a fault, TypeError on garbage. */
  async call(url: string, body: string, signal: AbortSignal): Promise<XmlNode> {
    return this.request(url, body, signal, true);
  }

  private async request(url: string, body: string, signal: AbortSignal, signed: boolean): Promise<XmlNode> {
    let resynced = false;
    let challenged = false;
    for (;;) {
      const wsse = signed && this.useWsse;
      const r = await this.send(url, body, signal, wsse);
      if (r.body && !r.fault) return r.body;
      if (r.status === 401 && r.challenge && this.o.auth !== 'ws-security' && !challenged) {
        challenged = true;
        this.digest = { challenge: r.challenge, nc: 0 };
        if (this.useWsse && this.o.auth === 'auto') {
          this.useWsse = false;
          this.o.onAuthChosen?.('digest');
        }
        continue;
      }
      if (wsse && !resynced && (notAuthorized(r.fault) || (r.status === 401 && !r.challenge))) {
        resynced = true;
        const before = this.offsetMs;
        const after = await this.syncClock(signal, `refused: ${r.fault?.message ?? `HTTP ${r.status}`}`);
        // Same clock: the password is what was refused. Sending it again would only spend one more of the
        // few failed logins Dahua/IMOU/Hikvision allow before locking the account out.
        if (Math.abs(after - before) > CLOCK_TOLERANCE_MS) continue;
      }
      if (r.fault) throw r.fault;
      if (r.status === 401) {
        throw new SoapFaultError({
          code: 'env:Sender',
          subcodes: ['ter:NotAuthorized'],
          reason: `HTTP 401 with ${this.auth}: credentials refused`,
        });
      }
      throw new TypeError(`HTTP ${r.status} without a SOAP answer: ${r.text.slice(0, 120)}`);
    }
  }

  private async send(url: string, body: string, signal: AbortSignal, wsse: boolean): Promise<Sent> {
    const sign = wsse
      ? {
          username: this.o.username,
          password: this.o.password,
          nonce: randomBytes(16),
          created: new Date(this.now() + this.offsetMs).toISOString(),
        }
      : undefined;
    const headers: Record<string, string> = { 'Content-Type': SOAP_CONTENT_TYPE };
    if (this.digest) {
      const u = new URL(url);
      headers.Authorization = authorizationHeader(this.digest.challenge, {
        method: 'POST',
        uri: `${u.pathname}${u.search}`, // must be the request-target (Hikvision refuses another uri)
        username: this.o.username,
        password: this.o.password,
        cnonce: randomBytes(8).toString('hex'),
        nc: ++this.digest.nc,
      });
    }
    const init = { method: 'POST', headers, body: buildRequest(body, sign), signal };
    const res = await fetch(url, init).catch((e: unknown) => {
      // A kept-alive socket the camera closed meanwhile (it rebooted, or dropped idle connections) fails
      // before any answer: send once more on a fresh connection, as HTTP clients do for reused connections.
      if (!signal.aborted && STALE_SOCKET.test(causeCode(e))) return fetch(url, init);
      throw e;
    });
    const text = await res.text();
    const wwwAuth = res.headers.get('www-authenticate');
    const challenge = res.status === 401 && wwwAuth ? chooseChallenge(parseChallenges(wwwAuth)) : undefined;
    let parsed: XmlNode | undefined;
    try {
      parsed = parseSoap(text).body;
    } catch {
      parsed = undefined; // an HTML 401 page, an empty 200, garbage
    }
    const f = parsed ? parseFault(parsed) : undefined;
    return {
      status: res.status,
      text,
      challenge,
      ...(parsed && (res.ok || f) ? { body: parsed } : {}),
      ...(f ? { fault: new SoapFaultError(f) } : {}),
    };
  }
}
