import { describe, expect, it } from 'vitest';
// @ts-expect-error plain browser JS module, no types
import { participantPaths, participantsLine, pathText } from './console-path.js';

describe('console: the media path of each participant', () => {
  it('the hub reading, refined by the room’s own report when the hub only knows it is relayed', () => {
    const stats = {
      participants: [
        { id: 'room-1', path: 'turn' },
        { id: 'room-2', path: 'direct-udp' },
        { id: 'officer-3', path: 'turn-tcp' },
        { id: 'whip-4', path: null },
      ],
    };
    const rooms = [
      { id: 'room-1', health: { gateway: { path: 'turn-tcp' } } },
      { id: 'room-2', health: { gateway: { path: 'turn-udp' } } }, // stale: the hub sees it direct now
    ];
    const paths = participantPaths(stats, rooms);
    expect([...paths]).toEqual([
      ['room-1', 'turn-tcp'],
      ['room-2', 'direct-udp'],
      ['officer-3', 'turn-tcp'],
      ['whip-4', null],
    ]);
    const line = participantsLine(
      [
        { id: 'room-1', name: 'Phòng Xã A' },
        { id: 'officer-3', name: 'Cán bộ B' },
        { id: 'whip-4', name: 'OBS' },
        { id: 'new-5', name: 'Mới' },
      ],
      paths,
    );
    expect(line).toBe(
      'Phòng Xã A (qua TURN/TCP / via TURN/TCP), Cán bộ B (qua TURN/TCP / via TURN/TCP), OBS (chưa kết nối / not connected), Mới',
    );
    expect(pathText('direct-udp')).toBe('trực tiếp (UDP) / direct UDP');
  });
});
