import { PEOPLE_ROLES } from '../auth/identity.js';
import { silentLogger } from '../../common/log.js';
import { until } from '../../tests/helpers/until.js';
import { sha256Hex } from '../config/auth.js';
import { createHub, type HubDeps } from '../create-hub.js';
import { enrollInProcess } from './enroll-room.js';
import type { TurnConfig } from '../turn/turn-config.js';

// An in-process hub on a free loopback port, with N rooms enrolled the real way (a one-time code, the
// exchange: enroll-room.ts) and one officer token; `roomToken(n)` is room n's enrolled credential.

export const OFFICER_TOKEN = 'officer-test-token';
export const roomId = (n: number) => (n === 1 ? 'room-demo' : `room-${n}`);

export async function startTestHub(opts: { rooms?: number; allowLoopbackOfficers?: boolean; turn?: TurnConfig } = {}) {
  const hub = createHub({
    host: '127.0.0.1',
    port: 0,
    publicUrl: '',
    tokens: [{ name: 'Cán bộ thử', sha256: sha256Hex(OFFICER_TOKEN), roles: [...PEOPLE_ROLES] }],
    allowLoopbackOfficers: opts.allowLoopbackOfficers ?? true,
    ice: { hostAddresses: ['127.0.0.1'], useIpv6: false, stunUrls: [], portMin: 0, portMax: 0 },
    turn: opts.turn, // hub/turn: ICE servers for rooms, officers, WHIP/WHEP
    logger: process.env.HUB_TEST_LOG ? (await import('../../common/log.js')).createRootLogger('hub-test', 'debug') : silentLogger(),
  });
  const built = await hub.start();
  const url = hub.address();
  const tokens = await enrollRooms(built.enrollment, opts.rooms ?? 3);
  return {
    hub,
    app: built.app,
    store: built.store,
    conference: built.conference,
    /** The room registry and its enrollment module (hub/enrollment; enroll-room.ts enrolls rooms with it). */
    enrollment: built.enrollment,
    url,
    /** Room n's enrolled token (n = 1 is `room-demo`). */
    roomToken: (n: number) => tokens[n - 1]!,
    signalUrl: `${url.replace('http', 'ws')}/api/v1/signal`,
    stop: () => hub.stop(),
  };
}

/** tests/helpers/until.ts with the argument order the hub's tests use (check first, 10 s unless told). */
export const waitFor = <T>(check: () => T | Promise<T>, timeoutMs = 10_000, what = 'condition') => until(what, timeoutMs, check);

/** Enrolls rooms 1..count (`roomId(n)`, named as the demo names them) in process; their tokens in order. */
export async function enrollRooms(e: Parameters<typeof enrollInProcess>[0], count: number): Promise<string[]> {
  const tokens: string[] = [];
  for (let n = 1; n <= count; n++) tokens.push((await enrollInProcess(e, roomId(n), `Phòng tiếp công dân ${n} (mô phỏng)`)).token);
  return tokens;
}

/** Deps of an in-process test hub: loopback, no people tokens, no archive, silent; a test adds what it needs. */
export function testHubDeps(over: Partial<HubDeps> = {}): HubDeps {
  return {
    host: '127.0.0.1',
    port: 0,
    publicUrl: '',
    tokens: [],
    allowLoopbackOfficers: false,
    ice: { hostAddresses: ['127.0.0.1'], useIpv6: false, stunUrls: [], portMin: 0, portMax: 0 },
    archive: { enabled: false, dir: '', maxChunkMb: 4 },
    logger: silentLogger(),
    ...over,
  };
}
