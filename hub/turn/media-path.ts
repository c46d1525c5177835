import type { MediaPath } from '../../common/contracts/ice-servers.js';

// Which way a participant's media reaches the hub, from the hub's selected ICE candidate pair of its publish
// connection: the far end's candidate is a relay (a TURN server's address) or not (direct UDP — host, server- or
// peer-reflexive). TURN's transport (client → TURN server) is not in the candidate itself; Chromium puts it in the
// relay candidate's type preference, the priority's top byte — measured (tests/e2e/turn-browser.test.ts, Chromium
// 156): 3 for TURN/UDP, 1 for TURN/TCP (libwebrtc: 0 for TLS). werift gives every relay candidate 0, so 0 is read as
// `turn` (transport not told) — a room says its own (gateway /state, fleet report), which the console prefers.

/** The `typ` and priority of an ICE candidate (`[candidate:]foundation component transport priority address port typ …`). */
export function candidateFacts(line: string): { type: string; priority: number } | null {
  const m = /^(?:a=)?(?:candidate:)?\S+ \d+ \S+ (\d+) \S+ \d+ typ (\w+)/.exec(line.trim());
  return m ? { type: m[2]!, priority: Number(m[1]) } : null;
}

export function pathOfRemote(candidate: string | undefined): MediaPath {
  const c = candidate ? candidateFacts(candidate) : null;
  if (!c) return 'unknown';
  if (c.type !== 'relay') return 'direct-udp';
  const typePref = Math.floor(c.priority / 2 ** 24);
  return typePref >= 2 ? 'turn-udp' : typePref === 1 ? 'turn-tcp' : 'turn';
}

interface WithIce {
  iceTransports: { getSelectedCandidatePair(): { remote: { candidate: string } } | null }[];
}

/** The path of a werift connection (null: none, or no pair selected yet). */
export function mediaPathOf(pc: WithIce | undefined | null): MediaPath | null {
  const pair = pc?.iceTransports[0]?.getSelectedCandidatePair();
  return pair ? pathOfRemote(pair.remote.candidate) : null;
}
