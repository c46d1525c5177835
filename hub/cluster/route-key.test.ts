import { describe, expect, it } from 'vitest';
import { hearingOfRequest } from './route-key.js';

// Which requests go to the node holding a hearing, and which any node answers.

const look = {
  roomByToken: (t: string) => (t === 'room-token' ? 'room-2' : undefined),
  activeHearingOf: (r: string) => (r === 'room-2' ? 'hearing-r2' : undefined),
};
const of = (method: string, url: string, headers: Record<string, string> = {}) => hearingOfRequest({ method, url, headers }, look);

describe('route key', () => {
  it('media, stats, tickets and one hearing read go to the holder', () => {
    expect(of('POST', '/whip/hearings/h1')).toBe('h1');
    expect(of('PATCH', '/whep/hearings/h1/resources/whep-3')).toBe('h1');
    expect(of('GET', '/api/v1/hearings/h1/stats')).toBe('h1');
    expect(of('POST', '/api/v1/hearings/h1/tickets')).toBe('h1');
    expect(of('GET', '/api/v1/hearings/h1')).toBe('h1');
  });

  it('writes and lists are answered by any node (the state is shared)', () => {
    expect(of('POST', '/api/v1/hearings/h1/end')).toBeUndefined();
    expect(of('DELETE', '/api/v1/hearings/h1/rooms/room-2')).toBeUndefined();
    expect(of('GET', '/api/v1/hearings')).toBeUndefined();
    expect(of('GET', '/api/v1/rooms')).toBeUndefined();
  });

  it('signaling: an officer by ?hearing=, a room by its credential’s active hearing, else anywhere', () => {
    expect(of('GET', '/api/v1/signal?hearing=h9')).toBe('h9');
    expect(of('GET', '/api/v1/signal', { authorization: 'Bearer room-token' })).toBe('hearing-r2');
    expect(of('GET', '/api/v1/signal', { authorization: 'Bearer nobody' })).toBeUndefined();
    expect(of('GET', '/api/v1/signal')).toBeUndefined();
  });
});
