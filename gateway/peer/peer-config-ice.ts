import { getCACertificates } from 'node:tls';
import type { RTCPeerConnectionConfig } from 'werift';
import type { IceServer, MediaPath } from '../../common/contracts/ice-servers.js';

// The ICE servers of the room's connections to the hub: the STUN urls of the config (gateway.stunUrls) and the
// TURN servers the hub issues over signaling (`ice-servers`, short-lived credentials, hub/turn). werift 0.25.2
// uses ONE TURN url per connection (the first it parses; it supports TURN over UDP, TCP and TLS — `turns:`),
// so the publish connection tries the hub's TURN urls in turn: after a publish connection that never connected
// the next one gets the next url (UDP blocked → TURN/TCP → TURN/TLS), and one that connected keeps its url.
// Subscriptions use the url the publish connection uses now.

export interface TurnChoice {
  url: string;
  transport: 'udp' | 'tcp' | 'tls';
  username: string;
  credential: string;
}

/** `turn:h:p?transport=tcp` → tcp; `turns:` → tls; no parameter → udp (RFC 7065's default). */
export function turnTransportOf(url: string): TurnChoice['transport'] {
  if (/^turns:/i.test(url)) return 'tls';
  return /[?&]transport=tcp\b/i.test(url) ? 'tcp' : 'udp';
}

export class HubIce {
  private turns: TurnChoice[] = [];
  private index = 0;
  private pending = false; // a publish connection was built with turns[index] and has not connected yet

  constructor(
    private readonly stunUrls: string[] = [],
    /** Trust for TURN/TLS besides the system store (the hub's CA from the enrollment). */
    private readonly ca?: string[],
  ) {}

  /** The hub's servers (sent before `welcome`, renewed while connected); the url being tried stays the same. */
  set(servers: IceServer[]): void {
    const before = this.turns[this.index]?.url;
    this.turns = servers.flatMap((s) =>
      s.username !== undefined && s.credential !== undefined
        ? s.urls
            .filter((u) => /^turns?:/i.test(u))
            .map((url) => ({ url, transport: turnTransportOf(url), username: s.username!, credential: s.credential! }))
        : [],
    );
    const kept = this.turns.findIndex((t) => t.url === before);
    this.index = Math.max(kept, 0);
  }

  /** Options of a new publish connection: the next TURN url when the last one never connected. */
  forPublish(): Pick<RTCPeerConnectionConfig, 'iceServers' | 'turnTlsOptions'> {
    if (this.pending && this.turns.length > 1) this.index = (this.index + 1) % this.turns.length;
    this.pending = this.turns.length > 0;
    return this.options();
  }

  /** The publish connection built last is connected: its TURN url stays. */
  connected(): void {
    this.pending = false;
  }

  /** Options of any other connection to the hub (subscriptions): the current TURN url. */
  options(): Pick<RTCPeerConnectionConfig, 'iceServers' | 'turnTlsOptions'> {
    const turn = this.turns[this.index];
    const iceServers = [
      ...(this.stunUrls.length > 0 ? [{ urls: this.stunUrls }] : []),
      ...(turn ? [{ urls: turn.url, username: turn.username, credential: turn.credential }] : []),
    ];
    // TURN/TLS: the system's and Node's roots (a TURN server with the province's or a public certificate) and the hub's CA.
    const ca =
      turn?.transport === 'tls' && this.ca?.length ? [...getCACertificates('system'), ...getCACertificates('default'), ...this.ca] : null;
    return { iceServers, ...(ca ? { turnTlsOptions: { ca } } : {}) };
  }

  /**
   * How long an answer may wait for its candidates: with a TURN server, the relay candidate may be the only one that
   * works (UDP blocked), and an allocation over TCP/TLS that a stalled event loop held past 5 s was cut off — the answer
   * went without it and the subscription stayed silent (turn-hearing e2e at a load of 47). Offers keep 5 s: the
   * publish connection's walk through the urls must not wait on a TURN/UDP that never answers.
   */
  gatherTimeoutMs(): number {
    return this.current() ? 15_000 : 5000;
  }

  /** The TURN url connections use now (null: none issued). */
  current(): TurnChoice | null {
    return this.turns[this.index] ?? null;
  }

  /** The path of a connection whose selected local candidate is this (`candidate:… typ relay …`). */
  pathOf(localCandidate: string | undefined): MediaPath {
    const localType = /\btyp (\w+)/.exec(localCandidate ?? '')?.[1];
    if (!localType) return 'unknown';
    if (localType !== 'relay') return 'direct-udp';
    const t = this.current()?.transport;
    return t ? `turn-${t}` : 'unknown';
  }
}
