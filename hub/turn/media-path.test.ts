import { describe, expect, it } from 'vitest';
import { pathOfRemote } from './media-path.js';

// The path the hub reads from the far end's selected candidate. Priorities as the clients wrote them: Chromium's
// relay candidates carry TURN's transport in the type preference (measured: 58466303 over TURN/UDP = 3 << 24 | …,
// 24911871 over TURN/TCP = 1 << 24 | …; 0 for TLS), werift's all have 0 (16777215 = 0 << 24 | 65535 << 8 | 255).

describe('pathOfRemote', () => {
  it('host, server- and peer-reflexive: direct UDP', () => {
    expect(pathOfRemote('candidate:1 1 udp 2122260223 10.0.0.5 53421 typ host generation 0')).toBe('direct-udp');
    expect(pathOfRemote('candidate:2 1 udp 1686052607 203.0.113.7 53421 typ srflx raddr 10.0.0.5 rport 53421')).toBe('direct-udp');
    expect(pathOfRemote('candidate:3 1 udp 1845501695 10.0.0.9 40000 typ prflx')).toBe('direct-udp');
  });
  it("relay: Chromium's type preference names TURN's transport; werift's (0) does not", () => {
    const relay = (prio: number) => `candidate:4 1 udp ${prio} 192.0.2.1 49160 typ relay raddr 198.51.100.2 rport 51234`;
    expect(pathOfRemote(relay(58466303))).toBe('turn-udp');
    expect(pathOfRemote(relay(24911871))).toBe('turn-tcp');
    expect(pathOfRemote(relay(16777215))).toBe('turn');
    // werift's RTCIceCandidate.candidate has no `candidate:` prefix (what the hub's selected pair gives)
    expect(pathOfRemote('2 1 udp 16777215 10.77.2.1 49152 typ relay raddr 10.77.1.1 rport 3478')).toBe('turn');
  });
  it('nothing selected or unreadable: unknown', () => {
    expect(pathOfRemote(undefined)).toBe('unknown');
    expect(pathOfRemote('garbage')).toBe('unknown');
  });
});
