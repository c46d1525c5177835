import type { IceServers } from '../../common/contracts/ice-servers.js';
import type { HubMessage } from '../../common/contracts/signaling/messages.js';
import { readTurnSecret, type TurnConfig } from './turn-config.js';
import { iceServerLinks, iceServerList, turnCredential } from './turn-credentials.js';

// The hub's issuer of ICE servers: STUN urls (config ice.stunUrls) and TURN urls with short-lived credentials
// (config turn). Rooms and officers get them on their signaling connection (an `ice-servers` message before
// `welcome`, fresh ones every ttl/2 while it lasts), WHIP/WHEP callers as `Link: rel="ice-server"` headers.

export interface TurnDeps {
  turn: TurnConfig;
  stunUrls: string[];
  now?: () => number;
}

export function createTurn(deps: TurnDeps) {
  const secret = readTurnSecret(deps.turn); // TurnConfigError naming /turn/secretFile (the config load checked it too)
  const now = deps.now ?? Date.now;
  const enabled = deps.turn.urls.length > 0;
  const issue = (who: string): IceServers => {
    const cred = enabled ? turnCredential(secret, who, deps.turn.ttlSeconds, now()) : null;
    return { iceServers: iceServerList(deps.stunUrls, deps.turn.urls, cred), expiresAt: cred?.expiresAt ?? null };
  };
  return {
    enabled,
    issue,
    /** WHIP/WHEP: the Link header values for an authenticated caller. */
    links: (who: string) => iceServerLinks(issue(who).iceServers),
    /** A signaling connection: servers now, fresh ones every ttl/2; returns the stop. Nothing to send without servers. */
    watch(who: string, send: (msg: HubMessage) => void): () => void {
      const first = issue(who);
      if (first.iceServers.length === 0) return () => {};
      send({ type: 'ice-servers', ...first });
      if (!enabled) return () => {};
      const timer = setInterval(() => send({ type: 'ice-servers', ...issue(who) }), (deps.turn.ttlSeconds * 1000) / 2);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}
