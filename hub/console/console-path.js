// @ts-check
// Which way each participant's media reaches the hub (issue 16), in plain words, Vietnamese / English. The hub reads
// it from the selected ICE candidate pair (GET /api/v1/hearings/:id/stats `path`); a room also says its own in its
// fleet report (`health.gateway.path`), which knows TURN's transport when the hub cannot tell it ('turn').

/** @typedef {'direct-udp' | 'turn-udp' | 'turn-tcp' | 'turn-tls' | 'turn' | 'unknown'} MediaPath */

/** @type {Record<MediaPath, [string, string]>} */
const WORDS = {
  'direct-udp': ['trực tiếp (UDP)', 'direct UDP'],
  'turn-udp': ['qua TURN/UDP', 'via TURN/UDP'],
  'turn-tcp': ['qua TURN/TCP', 'via TURN/TCP'],
  'turn-tls': ['qua TURN/TLS', 'via TURN/TLS'],
  turn: ['qua máy chủ TURN', 'via TURN'],
  unknown: ['chưa rõ', 'unknown'],
};

/** One path in words ("qua TURN/TCP / via TURN/TCP"); null or absent: not connected. */
export function pathText(/** @type {MediaPath | null | undefined} */ path) {
  if (!path) return 'chưa kết nối / not connected';
  const [vi, en] = WORDS[path] ?? [path, path];
  return `${vi} / ${en}`;
}

/**
 * The path of each participant id: the hub's reading, unless the room's own report is more precise.
 * @param {{ participants: { id: string, path?: MediaPath | null }[] }} stats
 * @param {{ id: string, health: { gateway: { path?: MediaPath } | null } | null }[]} rooms
 * @returns {Map<string, MediaPath | null>}
 */
export function participantPaths(stats, rooms) {
  const out = new Map();
  for (const p of stats.participants) {
    const own = rooms.find((r) => r.id === p.id)?.health?.gateway?.path;
    const hub = p.path ?? null;
    out.set(p.id, hub && own && own !== 'unknown' && (hub === 'turn' || hub === own) ? own : hub);
  }
  return out;
}

/** "Tên (qua TURN/TCP / via TURN/TCP)" for each participant of the hearing. */
export function participantsLine(
  /** @type {{ id: string, name: string }[]} */ participants,
  /** @type {Map<string, MediaPath | null>} */ paths,
) {
  return participants.map((p) => (paths.has(p.id) ? `${p.name} (${pathText(paths.get(p.id))})` : p.name)).join(', ');
}
