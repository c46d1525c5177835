import type { HealthReply } from '../../../common/contracts/daemon-api/health.js';

// "Healthy" for a config on trial: the room's own verdict ok (GET /api/v1/health), the media worker
// online with a camera on air, the gateway connected to the hub — a config that cuts the room off the hub must not stay.

export function unhealthyParts(h: HealthReply): string[] {
  const out: string[] = [];
  if (h.status !== 'ok') {
    const bad = h.devices
      .filter((d) => d.health.state !== 'online')
      .map((d) => `${d.id} ${d.health.state}${d.health.lastError ? ` (${d.health.lastError})` : ''}`);
    out.push(`status ${h.status}${bad.length ? `: ${bad.join(', ')}` : ''}`);
  }
  if (h.media && h.media.health.state !== 'online')
    out.push(`media ${h.media.health.state}${h.media.health.lastError ? ` (${h.media.health.lastError})` : ''}`);
  // The worker runs on the slate when no camera gives a picture (a dead camera URI): the room shows nothing.
  else if (h.media && h.media.source !== 'primary' && h.media.source !== 'backup')
    out.push(`media: no camera on air (${h.media.source ?? 'nothing'})`);
  if (!h.gateway || h.gateway.state !== 'connected')
    out.push(`gateway ${h.gateway?.state ?? 'absent'}${h.gateway?.reason ? ` (${h.gateway.reason})` : ''}`);
  return out;
}

/** Resolves with null once healthy, with what was still wrong at the deadline, or undefined when cancelled (the daemon stops). */
export function watchTrial(
  health: { snapshot(): HealthReply },
  deadlineMs: number,
  everyMs = 1000,
): { result: Promise<string[] | null | undefined>; cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  let stop = () => {};
  const result = new Promise<string[] | null | undefined>((resolve) => {
    stop = () => resolve(undefined);
    const check = () => {
      const wrong = unhealthyParts(health.snapshot());
      if (!wrong.length) return resolve(null);
      if (Date.now() >= deadlineMs) return resolve(wrong);
      timer = setTimeout(check, everyMs);
    };
    check();
  });
  return {
    result,
    cancel() {
      if (timer) clearTimeout(timer);
      stop();
    },
  };
}
