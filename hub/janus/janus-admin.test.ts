import { describe, expect, it } from 'vitest';
import { pathOfSelectedPair } from './janus-admin.js';

// The selected pair as Janus's Admin API writes it (janus ice.c, "%s:%d [%s,%s] <-> %s:%d [%s,%s]") and its remote
// candidates as the participant sent them (peer-reflexive ones as Janus renders them, without "candidate:").

describe('pathOfSelectedPair', () => {
  const host = 'candidate:1 1 udp 2122260223 192.0.2.9 50000 typ host';
  const turnTcp = 'candidate:7 1 udp 16785407 198.51.100.4 61000 typ relay raddr 0.0.0.0 rport 0'; // type preference 1
  const turnUdp = 'candidate:8 1 udp 41885439 198.51.100.4 62000 typ relay raddr 0.0.0.0 rport 0'; // type preference 2
  const pair = (remote: string) => `192.0.2.2:20123 [host,udp] <-> ${remote}`;

  it('a host or reflexive far end is direct UDP', () => {
    expect(pathOfSelectedPair(pair('192.0.2.9:50000 [host,udp]'), [host])).toBe('direct-udp');
    expect(
      pathOfSelectedPair(pair('203.0.113.7:40000 [prflx,udp]'), ['3 1 udp 1853824767 203.0.113.7 40000 typ prflx raddr 10.0.0.2 rport 5']),
    ).toBe('direct-udp');
  });

  it('a relay far end is TURN, its transport from the candidate listed for that address', () => {
    expect(pathOfSelectedPair(pair('198.51.100.4:61000 [relay,udp]'), [host, turnTcp, turnUdp])).toBe('turn-tcp');
    expect(pathOfSelectedPair(pair('198.51.100.4:62000 [relay,udp]'), [host, turnTcp, turnUdp])).toBe('turn-udp');
    expect(pathOfSelectedPair(pair('198.51.100.4:63000 [relay,udp]'), [host])).toBe('turn'); // not listed: transport unknown
  });

  it('no pair selected yet, or a line it cannot read: null', () => {
    expect(pathOfSelectedPair(undefined)).toBeNull();
    expect(pathOfSelectedPair('')).toBeNull();
    expect(pathOfSelectedPair('connecting')).toBeNull();
  });
});
