import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { GatewayLinkSummary } from '../../../common/contracts/daemon-api/health.js';
import { GATEWAY_STATE_PATH, GatewayStatus } from '../../../common/contracts/gateway-state.js';
import type { Logger } from '../../../common/log.js';
import type { EventBus } from '../events/event-bus.js';

// The daemon's view of the gateway process: what it reads from GET /state (common/contracts/gateway-state.ts,
// the gateway's own definition), plus 'down' when the gateway does not answer (GatewayLinkSummary:
// common/contracts/daemon-api/health.ts, as /api/v1/health shows it).

/** The part of the gateway's /state the link state rests on; the whole of it is kept as `detail` when it checks. */
const GatewayLinkPart = Type.Pick(GatewayStatus, ['state', 'since', 'reason', 'rttMs', 'path']);

export interface GatewayLinkDeps {
  /** e.g. http://127.0.0.1:8081 (the gateway's local HTTP). */
  url: string;
  /** The bearer token /state asks for (common/local-bridge stateToken(secret)). */
  stateToken: string;
  bus: EventBus;
  logger: Logger;
  intervalMs?: number;
}

/** Polls the gateway (its restarts are normal: it just reads 'down' until it is back). */
export function createGatewayLink(deps: GatewayLinkDeps) {
  let summary: GatewayLinkSummary = { state: 'down', since: new Date().toISOString(), reason: 'not polled yet' };
  let detail: GatewayStatus | null = null;
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let misses = 0;

  function update(next: GatewayLinkSummary): void {
    const changed = next.state !== summary.state || next.reason !== summary.reason;
    summary = next; // rttMs changes are not events: the kiosk polls health
    if (changed) {
      deps.logger.info(summary, 'gateway state');
      deps.bus.emit('gateway', { ...summary });
    }
  }

  async function poll(): Promise<void> {
    try {
      const res = await fetch(`${deps.url}${GATEWAY_STATE_PATH}`, {
        headers: { authorization: `Bearer ${deps.stateToken}` },
        signal: AbortSignal.timeout(1000),
      });
      const body: unknown = await res.json();
      if (!res.ok || !Value.Check(GatewayLinkPart, body)) throw new Error(`unexpected answer (HTTP ${res.status})`);
      detail = Value.Check(GatewayStatus, body) ? body : null;
      misses = 0;
      update({
        state: body.state,
        since: body.since,
        ...(body.reason ? { reason: body.reason } : {}),
        ...(body.rttMs !== undefined ? { rttMs: Math.round(body.rttMs) } : {}),
        ...(body.path ? { path: body.path } : {}), // direct UDP or through the hub's TURN (fleet report)
      });
    } catch (err) {
      // A refused connection is a gateway that is gone; a timeout may be a busy box: 'down' after the second.
      const refused = /ECONNREFUSED|fetch failed/.test(String((err as Error).cause ?? err));
      if (!refused && ++misses < 2 && summary.state !== 'down') return;
      detail = null;
      const reason = `gateway unreachable: ${(err as Error).message}`;
      update(summary.state === 'down' ? { ...summary, reason } : { state: 'down', since: new Date().toISOString(), reason });
    }
  }

  return {
    async start(): Promise<void> {
      running = true;
      await poll();
      const loop = () => {
        if (running) timer = setTimeout(() => void poll().finally(loop), deps.intervalMs ?? 500);
      };
      loop();
    },
    async stop(): Promise<void> {
      running = false;
      clearTimeout(timer);
      timer = undefined;
    },
    summary: (): GatewayLinkSummary => ({ ...summary }),
    /** The gateway's last full /state (hearing, remote participants, counters), or null when down. */
    detail: () => detail,
  };
}
export type GatewayLink = ReturnType<typeof createGatewayLink>;
