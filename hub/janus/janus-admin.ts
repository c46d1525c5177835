import { randomUUID } from 'node:crypto';
import type { Counter, MediaKind } from '../sfu/source.js';

// Janus's Admin API (janus.transport.http `admin_http`, its own port, `admin_secret`): `handle_info` tells each
// handle's packets and bytes per m-line, in and out. Read every few seconds for the hub's stats and /metrics.

export type PerKind = Record<MediaKind, Counter>;
export interface HandleCounters {
  in: PerKind;
  out: PerKind;
}

interface MediaInfo {
  type?: string;
  stats?: { in?: Counter; out?: Counter };
}

const zero = (): PerKind => ({ audio: { packets: 0, bytes: 0 }, video: { packets: 0, bytes: 0 } });

/** A handle's counters, summed per kind over its m-lines; null when Janus does not know the handle (any more). */
export async function handleCounters(
  admin: { url: string; secret: string; timeoutMs: number },
  session: number,
  handle: number,
): Promise<HandleCounters | null> {
  const r = await fetch(`${admin.url}/${session}/${handle}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ janus: 'handle_info', transaction: randomUUID(), ...(admin.secret ? { admin_secret: admin.secret } : {}) }),
    signal: AbortSignal.timeout(admin.timeoutMs),
  });
  const body = (await r.json()) as { janus: string; info?: { webrtc?: { media?: Record<string, MediaInfo> } } };
  if (body.janus !== 'success') return null;
  const counters = { in: zero(), out: zero() };
  for (const m of Object.values(body.info?.webrtc?.media ?? {})) {
    if (m.type !== 'audio' && m.type !== 'video') continue;
    for (const dir of ['in', 'out'] as const) {
      counters[dir][m.type].packets += m.stats?.[dir]?.packets ?? 0;
      counters[dir][m.type].bytes += m.stats?.[dir]?.bytes ?? 0;
    }
  }
  return counters;
}
