import { AppError, NotFoundError } from '../../../common/errors.js';
import type { Logger } from '../../../common/log.js';
import type { EventBus } from '../events/event-bus.js';
import type { Hearing } from '../../../common/contracts/daemon-api/room.js';
import { openHearingState } from './hearing-state-file.js';

// The room's current hearing: the one its *connected* gateway reports (from the hub), or one an
// officer started locally (hub unreachable). A gateway that is down or reconnecting changes nothing:
// the recording goes on without the network. A connected gateway reporting no / another hearing for
// endAfterMs ends a hub hearing; a local hearing ends only by hand or when the hub reports one.

export interface HearingsDeps {
  /** `<paths.state>/hearings.json` */
  stateFile: string;
  gateway: { summary(): { state: string }; detail(): Record<string, unknown> | null };
  bus: EventBus;
  logger: Logger;
  pollMs?: number;
  /** A connected gateway must report the change this long (signaling blips must not cut a hearing). */
  endAfterMs?: number;
}

export class ConflictError extends AppError {
  constructor(message: string) {
    super(message, 409, 'CONFLICT');
  }
}

/** The hub hearing in the gateway's /state, if any (`hearing: {id, title, participants}`). */
function hubHearing(detail: Record<string, unknown> | null): { id: string; title: string } | null {
  const h = detail?.hearing as { id?: unknown; title?: unknown } | null | undefined;
  return h && typeof h.id === 'string' && h.id ? { id: h.id, title: typeof h.title === 'string' ? h.title : '' } : null;
}

export function createHearings(deps: HearingsDeps) {
  const log = deps.logger;
  let state: Awaited<ReturnType<typeof openHearingState>> | undefined;
  let current: Hearing | null = null;
  let changeSince: number | undefined;
  let dismissed: string | undefined; // a hub hearing ended by hand is not taken up again while the hub still reports it
  let timer: NodeJS.Timeout | undefined;
  let chain = Promise.resolve(); // one state change at a time, each persisted before the next

  const serial = <T>(f: () => Promise<T>): Promise<T> => {
    const p = chain.then(f);
    chain = p.then(
      () => undefined,
      () => undefined,
    );
    return p;
  };

  async function begin(h: Omit<Hearing, 'startedAt'>, reason: string): Promise<Hearing> {
    const hearing: Hearing = { ...h, startedAt: new Date().toISOString() };
    await state!.save(hearing);
    current = hearing;
    log.info({ hearing, reason }, 'hearing started');
    deps.bus.emit('hearing', { kind: 'started', hearing, reason });
    return hearing;
  }

  async function finish(reason: string): Promise<Hearing | null> {
    const ended = current;
    if (!ended) return null;
    await state!.save(null);
    current = null;
    log.info({ hearing: ended, reason }, 'hearing ended');
    deps.bus.emit('hearing', { kind: 'ended', hearing: ended, reason });
    return ended;
  }

  /** Follows the connected gateway's report (see the rules at the top). */
  function evaluate(now = Date.now()): Promise<void> {
    return serial(async () => {
      if (deps.gateway.summary().state !== 'connected') return void (changeSince = undefined);
      let hub = hubHearing(deps.gateway.detail());
      if (hub && hub.id === dismissed) hub = null;
      else dismissed = undefined;
      const same = current && hub && current.source === 'hub' && hub.id === current.id;
      const keep = same || (!current && !hub) || (current?.source === 'local' && !hub);
      if (keep) return void (changeSince = undefined);
      if (current) {
        changeSince ??= now;
        if (now - changeSince < (deps.endAfterMs ?? 2000)) return;
        await finish(hub ? `the hub reports another hearing (${hub.id})` : 'the hub reports no hearing');
      }
      changeSince = undefined;
      if (hub) await begin({ ...hub, source: 'hub' }, 'reported by the hub');
    });
  }

  return {
    async start(): Promise<void> {
      state = await openHearingState(deps.stateFile, log);
      current = state.current;
      if (current) {
        log.info({ hearing: current }, 'hearing resumed after a daemon restart');
        deps.bus.emit('hearing', { kind: 'resumed', hearing: current, reason: 'daemon restart' });
      }
      const loop = () =>
        (timer = setTimeout(
          () =>
            void evaluate()
              .catch((err) => log.error({ err }, 'hearing update failed'))
              .finally(loop),
          deps.pollMs ?? 500,
        ));
      loop();
    },
    async stop(): Promise<void> {
      clearTimeout(timer);
      timer = undefined;
      await chain;
    },
    current: (): Hearing | null => (current ? { ...current } : null),
    /** An officer starts a hearing in the room (the hub is unreachable). 409 while one is current. */
    startLocal: (title: string): Promise<Hearing> =>
      serial(async () => {
        if (current) throw new ConflictError(`hearing ${current.id} is current: end it first`);
        return begin({ id: `local-${new Date().toISOString().replace(/[:.]/g, '-')}`, title, source: 'local' }, 'started in the room');
      }),
    /** Ends the current hearing by hand (404 when there is none); a hub hearing is not taken up again until the hub reports a change. */
    endCurrent: (by: string): Promise<Hearing> =>
      serial(async () => {
        const ended = await finish(`ended in the room by ${by}`);
        if (!ended) throw new NotFoundError('no current hearing');
        if (ended.source === 'hub') dismissed = ended.id;
        return ended;
      }),
    evaluate,
  };
}
export type Hearings = ReturnType<typeof createHearings>;
