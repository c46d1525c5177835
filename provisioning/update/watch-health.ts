import type { UpdateJob } from '../../common/release/update-job.js';

// Is the new version up and not worse than the old one? Asked of the daemon's GET /api/v1/health on
// loopback once a second: it must answer with the new version, and what held before the update (status
// ok, the gateway connected, the media worker online) must hold again, without a break for `stableSeconds`
// (a version that comes up and falls over ten seconds later is not healthy), within `windowSeconds`.

interface HealthAnswer {
  version?: string;
  status?: string;
  gateway?: { state?: string };
  media?: { health?: { state?: string } };
}

/** Why this answer is not (yet) healthy, or null when it is. */
export function unhealthyReason(job: UpdateJob, h: HealthAnswer): string | null {
  if (h.version !== job.version) return `trả lời phiên bản ${h.version ?? '?'} — answers version ${h.version ?? '?'}, not ${job.version}`;
  if (job.before.status === 'ok' && h.status !== 'ok') return `trạng thái ${h.status} — status ${h.status} (was ok)`;
  if (job.before.gateway === 'connected' && h.gateway?.state !== 'connected')
    return `cổng nối ${h.gateway?.state ?? 'không có'} — gateway ${h.gateway?.state ?? 'absent'} (was connected)`;
  if (job.before.media === 'online' && h.media?.health?.state !== 'online')
    return `media ${h.media?.health?.state ?? 'không có'} — media worker ${h.media?.health?.state ?? 'absent'} (was online)`;
  return null;
}

export async function watchHealth(
  job: UpdateJob,
  o: { fetch?: typeof fetch; now?: () => number; pause?: (ms: number) => Promise<void> } = {},
): Promise<{ ok: true; afterMs: number } | { ok: false; reason: string }> {
  const now = o.now ?? Date.now;
  const pause = o.pause ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const start = now();
  let stableSince: number | undefined;
  let last = 'chưa trả lời — no answer yet';
  while (now() - start < job.windowSeconds * 1000) {
    let why: string | null;
    try {
      const res = await (o.fetch ?? fetch)(job.healthUrl, { signal: AbortSignal.timeout(2000) });
      why = res.ok ? unhealthyReason(job, (await res.json()) as HealthAnswer) : `HTTP ${res.status}`;
    } catch (err) {
      why = `không trả lời — no answer (${(err as Error).message})`;
    }
    if (why === null) {
      stableSince ??= now();
      if (now() - stableSince >= job.stableSeconds * 1000) return { ok: true, afterMs: now() - start };
    } else {
      stableSince = undefined;
      last = why;
    }
    await pause(1000);
  }
  return { ok: false, reason: `không khỏe trong ${job.windowSeconds} s: ${last} — not healthy within ${job.windowSeconds} s` };
}
