import { PEOPLE_ROLES } from '../auth/identity.js';
import { silentLogger } from '../../common/log.js';
import { until } from '../../tests/helpers/until.js';
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
    tokens: [{ name: 'Cán bộ thử', sha256: sha256Hex(OFFICER_TOKEN), roles: [...PEOPLE_ROLES] }],
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
    /** The room registry and its enrollment module (hub/enrollment; enroll-room.ts enrolls rooms with it). */
    enrollment: built.enrollment,
    url,
    signalUrl: `${url.replace('http', 'ws')}/api/v1/signal`,
    stop: () => hub.stop(),
  };
}

/** tests/helpers/until.ts with the argument order the hub's tests use (check first, 10 s unless told). */
export const waitFor = <T>(check: () => T | Promise<T>, timeoutMs = 10_000, what = 'condition') => until(what, timeoutMs, check);
