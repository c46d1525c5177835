import { readEnrollment, signalUrlOf } from '../contracts/enrollment-file.js';
import { SIGNAL_PATH } from '../contracts/signaling/messages.js';
import { createHubTrust } from '../tls/hub-trust.js';

// How a room process reaches the hub: from the enrollment (`<paths.state>/keys/enrollment.json`, made
// by `reception enroll`) — the hub's URL, the room's token, and a fetch / WebSocket options that trust
// exactly the hub's CA. No enrollment: the config's hub URL and no credential (the hub refuses the room
// with 401 until it enrolls; shared room secrets are gone).

export interface HubLink {
  /** Hub base URL, https://hub:8090 (no trailing slash). */
  baseUrl: string;
  /** The signaling WebSocket URL (wss:// when the hub is https). */
  signalUrl: string;
  /** Bearer credential; '' when the room is not enrolled and has no configured secret. */
  token: string;
  /** Room id of the enrollment (undefined: not enrolled). */
  room?: string;
  enrolled: boolean;
  fetch: typeof globalThis.fetch;
  /** For `new WebSocket(url, { ...wsOptions })`: the hub's CA. */
  wsOptions: { ca?: string[] };
  close(): Promise<void>;
}

/** `ws://host:8090/api/v1/signal` → `http://host:8090` (wss → https). */
export function baseFromSignalUrl(signalUrl: string): string {
  const u = new URL(signalUrl);
  u.protocol = u.protocol === 'wss:' ? 'https:' : u.protocol === 'ws:' ? 'http:' : u.protocol;
  u.pathname = u.pathname.replace(new RegExp(`${SIGNAL_PATH}/?$`), '') || '/';
  return u.toString().replace(/\/$/, '');
}

export async function openHubLink(stateDir: string, fallback: { hubUrl: string; secret?: string }): Promise<HubLink> {
  const e = await readEnrollment(stateDir);
  if (!e) {
    const baseUrl = fallback.hubUrl.startsWith('ws') ? baseFromSignalUrl(fallback.hubUrl) : fallback.hubUrl.replace(/\/$/, '');
    const trust = baseUrl.startsWith('https:') ? createHubTrust({}) : undefined;
    return {
      baseUrl,
      signalUrl: signalUrlOf(baseUrl, SIGNAL_PATH),
      token: fallback.secret ?? '',
      enrolled: false,
      fetch: trust?.fetch ?? globalThis.fetch,
      wsOptions: trust ? { ca: trust.ca } : {},
      close: async () => trust?.close(),
    };
  }
  const trust = e.hubUrl.startsWith('https:') ? createHubTrust({ caPem: e.caPem }) : undefined;
  return {
    baseUrl: e.hubUrl,
    signalUrl: signalUrlOf(e.hubUrl, SIGNAL_PATH),
    token: e.token,
    room: e.room,
    enrolled: true,
    fetch: trust?.fetch ?? globalThis.fetch,
    wsOptions: trust ? { ca: trust.ca } : {},
    close: async () => trust?.close(),
  };
}
