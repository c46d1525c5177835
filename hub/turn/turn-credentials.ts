import { createHmac } from 'node:crypto';
import type { IceServer } from '../../common/contracts/ice-servers.js';

// TURN REST API credentials (draft-uberti-behave-turn-rest, coturn `use-auth-secret`): the username is
// `<expiry unix seconds>:<who>`, the password base64(HMAC-SHA1(secret, username)). coturn recomputes the HMAC
// with its static-auth-secret and refuses a new allocation once the expiry is past. Pure: no clock, no I/O.

export interface TurnCredential {
  username: string;
  credential: string;
  expiresAt: number; // ms since the epoch
}

/** `who` must not contain ':' (coturn takes the part before the first ':' as the expiry). */
export function turnCredential(secret: string, who: string, ttlSeconds: number, nowMs: number): TurnCredential {
  const expiry = Math.floor(nowMs / 1000) + ttlSeconds;
  const username = `${expiry}:${who.replace(/:/g, '_')}`;
  const credential = createHmac('sha1', secret).update(username).digest('base64');
  return { username, credential, expiresAt: expiry * 1000 };
}

/** STUN urls as one entry, TURN urls with the credential as another (RTCIceServer shape). */
export function iceServerList(stunUrls: string[], turnUrls: string[], cred: TurnCredential | null): IceServer[] {
  const list: IceServer[] = [];
  if (stunUrls.length > 0) list.push({ urls: stunUrls });
  if (turnUrls.length > 0 && cred) list.push({ urls: turnUrls, username: cred.username, credential: cred.credential });
  return list;
}

const quoted = (s: string) => `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`;

/** RFC 9725 §4.6: one `Link: <url>; rel="ice-server"` per url, TURN ones with username and credential. */
export function iceServerLinks(servers: IceServer[]): string[] {
  return servers.flatMap((s) =>
    s.urls.map((u) => {
      const auth =
        s.username !== undefined && s.credential !== undefined
          ? `; username=${quoted(s.username)}; credential=${quoted(s.credential)}; credential-type="password"`
          : '';
      return `<${u}>; rel="ice-server"${auth}`;
    }),
  );
}
