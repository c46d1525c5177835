import { describe, expect, it } from 'vitest';
import type { HubMessage } from '../../common/contracts/signaling/messages.js';
import { silentLogger } from '../../common/log.js';
import type { HearingStore } from '../hearings/hearing-store.js';
import type { Conference, Member } from '../sfu/conference.js';
import { createSignalSession, type SessionDeps } from './signal-session.js';

// Issue 12: the room's gateway counts a missing pong as a dead link (silent 4 s → probe, 8 s → rebuilt). A
// publish offer takes seconds on a loaded hub; a ping queued behind it came back late and the room dropped a
// working link. Pings are answered at once.

describe('signal session: ping', () => {
  it('is answered while a publish offer is still being answered', async () => {
    const sent: HubMessage[] = [];
    const errors = () => sent.filter((m) => m.type === 'error');
    let finishPublish: (sdp: string) => void = () => undefined;
    const member = { info: { id: 'Cán bộ', kind: 'officer', name: 'Cán bộ' } } as unknown as Member;
    const conference = {
      nextId: () => 'officer-1',
      join: () => member,
      isCurrent: () => true,
      leave: () => undefined,
      publish: () => new Promise<string>((r) => (finishPublish = r)),
    } as unknown as Conference;
    const session = createSignalSession({
      conference,
      store: { find: () => undefined } as unknown as HearingStore,
      auth: {} as SessionDeps['auth'],
      token: undefined,
      person: { name: 'Cán bộ', roles: ['officer'] },
      ip: '127.0.0.1',
      send: (m) => void sent.push(m),
      close: () => undefined,
      logger: silentLogger(),
    });
    session.receive(JSON.stringify({ type: 'hello', protocol: 1, kind: 'officer', id: 'Cán bộ' }));
    await new Promise((r) => setTimeout(r, 10));
    session.receive(JSON.stringify({ type: 'publish-offer', sdp: 'v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\n' }));
    await new Promise((r) => setTimeout(r, 10));
    session.receive(JSON.stringify({ type: 'ping', at: 7 }));
    await new Promise((r) => setTimeout(r, 10));
    expect(errors()).toEqual([]);
    expect(sent.map((m) => m.type)).toEqual(['pong']); // before: nothing until the publish is answered
    finishPublish('v=0\r\no=- 2 2 IN IP4 0.0.0.0\r\n');
    await new Promise((r) => setTimeout(r, 10));
    expect(sent.map((m) => m.type)).toEqual(['pong', 'publish-answer']);
  });
});
