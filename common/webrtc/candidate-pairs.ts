import { isIP } from 'node:net';

// werift binds each host candidate's socket to 0.0.0.0 and pairs every local candidate with every
// remote one. A pair that crosses loopback and a real interface (local 192.0.2.2 → remote 127.0.0.1)
// leaves the socket with a different source address than its candidate says: the far end learns a
// peer-reflexive candidate, nominations split between pairs, and consent checks on the selected
// pair go unanswered until the connection fails ~30 s later. Such a pair can never work, so it is
// never formed.

const isLoopback = (host: string) => (isIP(host) === 4 ? host.startsWith('127.') : host === '::1');

/** For werift's `iceFilterCandidatePair`: loopback pairs with loopback, a real interface with a real one. */
export function sameScopePair(pair: { protocol: { localCandidate?: { host: string } }; remoteCandidate: { host: string } }): boolean {
  const local = pair.protocol.localCandidate?.host;
  if (!local) return true;
  return isLoopback(local) === isLoopback(pair.remoteCandidate.host);
}
