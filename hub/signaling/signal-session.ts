import type { ClientMessage, HubMessage } from '../../common/contracts/signaling/messages.js';
import { parseClientMessage } from '../../common/contracts/signaling/parse-message.js';
import { AppError } from '../../common/errors.js';
import type { Logger } from '../../common/log.js';
import type { AuthDeps } from '../config/auth.js';
import type { HearingStore } from '../hearings/hearing-store.js';
import type { RoomRegistry } from '../enrollment/registry-contract.js';
import type { Conference, Member } from '../sfu/conference.js';

// One signaling connection's state machine, independent of the socket: bytes in, messages out.
// `hello` first; every refusal is an `error` message and the connection stays, except
// authentication failures (fatal, close 4401) and being replaced by a newer connection (4409).

export const CLOSE_UNAUTHORIZED = 4401;
export const CLOSE_UNKNOWN_HEARING = 4404;
export const CLOSE_REPLACED = 4409;

export interface SessionDeps {
  conference: Conference;
  store: HearingStore;
  auth: AuthDeps;
  /** Enrolled rooms (hub/enrollment): the token names the room; revoking it closes the connection (4401 REVOKED). */
  registry?: Pick<RoomRegistry, 'roomByToken' | 'events' | 'room'>;
  token: string | undefined;
  /** The person behind the connection (hub/auth resolve-caller: API token, session cookie, opted-in loopback). */
  person?: { name: string; roles: readonly string[] };
  /** Why nobody is behind it (for the officer hello's refusal). */
  refusal?: string;
  ip: string;
  send(msg: HubMessage): void;
  close(code: number, reason: string): void;
  logger: Logger;
  /** ICE servers (hub/turn) sent before `welcome` and renewed while connected; returns the stop. */
  iceServers?: (who: string, send: (msg: HubMessage) => void) => () => void;
}

export function createSignalSession(deps: SessionDeps) {
  const { conference, send } = deps;
  let member: Member | null = null;
  let ended = false;
  let queue: Promise<void> = Promise.resolve();

  const refuse = (code: string, message: string) => send({ type: 'error', code, message });
  const fatal = (code: string, message: string, closeCode: number) => {
    send({ type: 'error', code, message, fatal: true });
    ended = true;
    deps.close(closeCode, code);
  };

  function hello(msg: Extract<ClientMessage, { type: 'hello' }>) {
    const base = { send, evicted: () => fatal('REPLACED', `another connection took over participant "${msg.id}"`, CLOSE_REPLACED) };
    if (msg.kind === 'room') {
      const enrolled = deps.token ? deps.registry?.roomByToken(deps.token) : undefined;
      if (enrolled && enrolled.room.id !== msg.id)
        return fatal('UNAUTHORIZED', `this credential is room "${enrolled.room.id}"'s, not "${msg.id}"'s`, CLOSE_UNAUTHORIZED);
      if (!enrolled && deps.registry?.room(msg.id))
        return fatal(
          'UNAUTHORIZED',
          `room "${msg.id}": credential missing, revoked or replaced — enroll the box again (reception enroll) / khóa của phòng không hợp lệ`,
          CLOSE_UNAUTHORIZED,
        );
      if (!enrolled)
        return fatal(
          'UNKNOWN_ROOM',
          `phòng "${msg.id}" chưa đăng ký / room "${msg.id}" is not enrolled at this hub (reception hub enroll-code, then reception enroll on the box)`,
          CLOSE_UNAUTHORIZED,
        );
      watchRevocation(deps.token!);
      stopIce = deps.iceServers?.(enrolled.room.id, send);
      member = conference.join({ ...base, info: { id: enrolled.room.id, kind: 'room', name: enrolled.room.name }, subscribes: true });
    } else if (msg.kind === 'officer') {
      if (!deps.person) return fatal('UNAUTHORIZED', deps.refusal ?? 'sign in, or send Authorization: Bearer', CLOSE_UNAUTHORIZED);
      if (!deps.person.roles.includes('officer'))
        return fatal('FORBIDDEN', `${deps.person.name}: cần vai trò officer / needs role officer`, CLOSE_UNAUTHORIZED);
      if (msg.hearing !== undefined && deps.store.find(msg.hearing)?.state !== 'active') {
        return fatal('UNKNOWN_HEARING', `hearing "${msg.hearing}" does not exist or has ended`, CLOSE_UNKNOWN_HEARING);
      }
      const info = { id: conference.nextId('officer'), kind: 'officer' as const, name: msg.name ?? msg.id };
      stopIce = deps.iceServers?.(info.id, send);
      member = conference.join({ ...base, info, subscribes: true, hearing: msg.hearing });
    } else {
      refuse('BAD_MESSAGE', 'kind "whip" is for WHIP publishers (POST /whip/hearings/:id), not for this WebSocket');
    }
  }

  let unwatch: (() => void) | undefined;
  let stopIce: (() => void) | undefined;
  /** A room whose key is revoked (or replaced) while connected is closed at once. */
  function watchRevocation(token: string) {
    const check = () => {
      if (ended || deps.registry?.roomByToken(token)) return;
      fatal('REVOKED', "the room's enrollment was revoked or replaced / khóa của phòng đã bị thu hồi", CLOSE_UNAUTHORIZED);
      if (member) conference.leave(member);
      member = null;
      unwatch?.();
    };
    deps.registry?.events.on('changed', check);
    unwatch = () => deps.registry?.events.off('changed', check);
  }

  async function handle(msg: ClientMessage) {
    if (!member) {
      if (msg.type !== 'hello') return refuse('BAD_STATE', `"${msg.type}" before "hello": the first message must be hello`);
      return hello(msg);
    }
    if (!conference.isCurrent(member)) return;
    switch (msg.type) {
      case 'hello':
        return refuse('BAD_STATE', 'hello was already accepted on this connection');
      case 'ping':
        return send({ type: 'pong', at: msg.at });
      case 'publish-offer':
        return send({ type: 'publish-answer', sdp: await conference.publish(member, msg.sdp) });
      case 'subscribe-answer':
        return conference.answer(member, msg.sid, msg.sdp);
      case 'resubscribe':
        return conference.resubscribe(member, msg.sid);
    }
  }

  return {
    /** Raw frame in; handled strictly in arrival order (a publish offer takes a while). */
    receive(raw: Buffer | string) {
      if (ended) return;
      const parsed = parseClientMessage(raw);
      if (!parsed.ok) return refuse(parsed.code, parsed.message);
      // A ping is answered at once, never behind a publish offer still being answered (seconds on a loaded
      // hub): the room takes a missing pong for a dead link (gateway/signaling: silent 4 s → probe, 8 s → rebuilt).
      if (parsed.msg.type === 'ping' && member && conference.isCurrent(member)) return send({ type: 'pong', at: parsed.msg.at });
      queue = queue
        .then(() => (ended ? undefined : handle(parsed.msg)))
        .catch((err: Error) => {
          if (err instanceof AppError) return refuse(err.code, err.message);
          deps.logger.error({ err }, 'signaling handler failed');
          refuse('INTERNAL', err.message);
        });
    },
    closed() {
      ended = true;
      unwatch?.();
      stopIce?.();
      if (member) conference.leave(member);
      member = null;
    },
    member: () => member,
  };
}
