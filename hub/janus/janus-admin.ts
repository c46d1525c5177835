import { randomUUID } from 'node:crypto';
import type { MediaPath } from '../../common/contracts/ice-servers.js';
import type { Counter, MediaKind } from '../sfu/source.js';
import { pathOfRemote } from '../turn/media-path.js';

// Janus's Admin API (janus.transport.http `admin_http`, its own port, `admin_secret`): `handle_info` tells each
// handle's packets and bytes per m-line, in and out, and its ICE state. Read every few seconds for the hub's
// stats and /metrics.

export type PerKind = Record<MediaKind, Counter>;
export interface HandleStats {
  in: PerKind;
  out: PerKind;
  /** how the participant reaches Janus (direct UDP or through TURN); null before a pair is selected */
  path: MediaPath | null;
}

interface MediaInfo {
  type?: string;
  stats?: { in?: Counter; out?: Counter };
}
interface IceInfo {
  'selected-pair'?: string;
  'remote-candidates'?: string[];
}

const zero = (): PerKind => ({ audio: { packets: 0, bytes: 0 }, video: { packets: 0, bytes: 0 } });

/**
 * The path from Janus's selected pair, "laddr:lport [type,udp] <-> raddr:rport [type,udp]" (janus ice.c): the far
 * end's candidate is found among the remote candidates by address and port, so its priority tells TURN/UDP from
 * TURN/TCP as on the werift plane (hub/turn/media-path.ts); not found, its type alone says direct or TURN.
 */
export function pathOfSelectedPair(pair: string | undefined, remoteCandidates: string[] = []): MediaPath | null {
  const m = pair ? /<->\s*(\S+):(\d+) \[(\w+),/.exec(pair) : null;
  if (!m) return null;
  const [, address, port, type] = m;
  const listed = remoteCandidates.find((c) => c.split(/\s+/).some((f, i, all) => f === address && all[i + 1] === port));
  if (listed) return pathOfRemote(listed);
  return type === 'relay' ? 'turn' : 'direct-udp';
}

/** A handle's counters, summed per kind over its m-lines, and its path; null when Janus does not know the handle (any more). */
export async function handleStats(
  admin: { url: string; secret: string; timeoutMs: number },
  session: number,
  handle: number,
): Promise<HandleStats | null> {
  const r = await fetch(`${admin.url}/${session}/${handle}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ janus: 'handle_info', transaction: randomUUID(), ...(admin.secret ? { admin_secret: admin.secret } : {}) }),
    signal: AbortSignal.timeout(admin.timeoutMs),
  });
  const body = (await r.json()) as { janus: string; info?: { webrtc?: { media?: Record<string, MediaInfo>; ice?: IceInfo } } };
  if (body.janus !== 'success') return null;
  const ice = body.info?.webrtc?.ice;
  const stats: HandleStats = { in: zero(), out: zero(), path: pathOfSelectedPair(ice?.['selected-pair'], ice?.['remote-candidates']) };
  for (const m of Object.values(body.info?.webrtc?.media ?? {})) {
    if (m.type !== 'audio' && m.type !== 'video') continue;
    for (const dir of ['in', 'out'] as const) {
      stats[dir][m.type].packets += m.stats?.[dir]?.packets ?? 0;
      stats[dir][m.type].bytes += m.stats?.[dir]?.bytes ?? 0;
    }
  }
  return stats;
}
