import { silentLogger } from '../../common/log.js';
import { sha256Hex } from '../config/auth.js';
import { demoRooms } from '../config/load-config.js';
import { createHub } from '../create-hub.js';

// An in-process hub on a free loopback port, with N demo rooms and one officer token.

export const OFFICER_TOKEN = 'officer-test-token';
export const roomSecret = (n: number) => (n === 1 ? 'demo-room-secret' : `demo-room-secret-${n}`);
export const roomId = (n: number) => (n === 1 ? 'room-demo' : `room-${n}`);

export async function startTestHub(opts: { rooms?: number; allowLoopbackOfficers?: boolean } = {}) {
  const hub = createHub({
    host: '127.0.0.1',
    port: 0,
    publicUrl: '',
    rooms: demoRooms(opts.rooms ?? 3),
    officers: [{ name: 'Cán bộ thử', sha256: sha256Hex(OFFICER_TOKEN) }],
    allowLoopbackOfficers: opts.allowLoopbackOfficers ?? true,
    ice: { hostAddresses: ['127.0.0.1'], useIpv6: false, stunUrls: [], portMin: 0, portMax: 0 },
    logger: process.env.HUB_TEST_LOG ? (await import('../../common/log.js')).createRootLogger('hub-test', 'debug') : silentLogger(),
  });
  const built = await hub.start();
  const url = hub.address();
  return {
    hub,
    app: built.app,
    store: built.store,
    conference: built.conference,
    url,
    signalUrl: `${url.replace('http', 'ws')}/api/v1/signal`,
    stop: () => hub.stop(),
  };
}

/** Polls `check` until it returns truthy (or throws after `timeoutMs`). */
export async function waitFor<T>(check: () => T | Promise<T>, timeoutMs = 10_000, what = 'condition'): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v as NonNullable<T>;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
