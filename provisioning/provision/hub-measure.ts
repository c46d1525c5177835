import { randomBytes } from 'node:crypto';
import { BANDWIDTH_ROUTE, HUB_CLOCK_ROUTE } from '../../common/contracts/commissioning.js';
import { HUB_API } from '../../common/contracts/route.js';
import type { HubLink } from '../../common/enrollment/hub-link.js';
import { Agent, fetch as undiciFetch } from 'undici';

// Two measurements against the hub: the wall-clock offset, NTP-style (t0 sent, hub's time, t1 back: offset =
// hub − (t0 + t1) / 2, good to ± rtt / 2; the sample with the shortest round trip wins), and the upload
// bandwidth (bytes posted with the room's enrolled token, timed from the first byte sent to the answer).

export interface ClockFigure {
  offsetMs: number;
  rttMs: number;
  samples: number;
}

export async function measureClock(hubUrl: string, samples = 5): Promise<ClockFigure> {
  // Before enrollment the box has no CA for the hub: the time is public and only measured, not trusted.
  const blind = new Agent({ connect: { rejectUnauthorized: false, timeout: 5000 } });
  let best: { offsetMs: number; rttMs: number } | undefined;
  try {
    for (let i = 0; i < samples; i++) {
      const t0 = Date.now();
      const res = await undiciFetch(`${hubUrl}${HUB_API}${HUB_CLOCK_ROUTE}`, { signal: AbortSignal.timeout(5000), dispatcher: blind });
      const t1 = Date.now();
      if (!res.ok) throw new Error(`hub answered ${res.status} to ${HUB_CLOCK_ROUTE}`);
      const { now } = (await res.json()) as { now: number };
      const sample = { offsetMs: Math.round(now - (t0 + t1) / 2), rttMs: t1 - t0 };
      if (!best || sample.rttMs < best.rttMs) best = sample;
    }
  } finally {
    await blind.close();
  }
  return { ...best!, samples };
}

export async function measureUpload(link: HubLink, room: string, bytes: number): Promise<{ mbps: number; bytes: number; ms: number }> {
  const body = randomBytes(bytes); // random: a compressing link would flatter zeros
  const t0 = performance.now();
  const res = await link.fetch(`${link.baseUrl}${HUB_API}${BANDWIDTH_ROUTE.replace(':room', encodeURIComponent(room))}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${link.token}`, 'content-type': 'application/octet-stream' },
    body,
    signal: AbortSignal.timeout(120_000),
  });
  const ms = performance.now() - t0;
  if (!res.ok) throw new Error(`hub answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
  await res.arrayBuffer();
  return { mbps: Math.round(((bytes * 8) / (ms / 1000) / 1e6) * 10) / 10, bytes, ms: Math.round(ms) };
}
