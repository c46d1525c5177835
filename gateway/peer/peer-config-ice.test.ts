import { describe, expect, it } from 'vitest';
import { HubIce, turnTransportOf } from './peer-config-ice.js';

// werift takes one TURN url per connection: the publish connection walks the hub's list after failures.

const servers = (user: string) => [
  { urls: ['stun:stun.example.vn'] },
  {
    urls: ['turn:t.example.vn:3478?transport=udp', 'turn:t.example.vn:3478?transport=tcp', 'turns:t.example.vn:5349?transport=tcp'],
    username: user,
    credential: 'pw',
  },
];
const turnOf = (o: ReturnType<HubIce['options']>) => o.iceServers?.find((s) => String(s.urls).startsWith('turn'));

describe('HubIce', () => {
  it('transport of a url: ?transport=tcp, turns: = TLS, default UDP', () => {
    expect(turnTransportOf('turn:h:3478')).toBe('udp');
    expect(turnTransportOf('turn:h:3478?transport=tcp')).toBe('tcp');
    expect(turnTransportOf('turns:h:5349?transport=tcp')).toBe('tls');
  });

  it('a publish connection that never connected hands the next one the next TURN url; a connected one keeps it', () => {
    const ice = new HubIce(['stun:own.example.vn'], ['CA']);
    expect(ice.forPublish().iceServers).toEqual([{ urls: ['stun:own.example.vn'] }]); // nothing issued yet: STUN only
    expect(ice.gatherTimeoutMs()).toBe(5000);
    ice.set(servers('1:room'));
    expect(ice.gatherTimeoutMs()).toBe(15_000); // an answer waits for its relay candidate
    expect(ice.forPublish().iceServers).toHaveLength(2); // the config's STUN + one TURN url
    expect(ice.current()?.transport).toBe('udp');
    expect(turnOf(ice.forPublish())).toEqual({ urls: 'turn:t.example.vn:3478?transport=tcp', username: '1:room', credential: 'pw' });
    const tls = ice.forPublish();
    expect(ice.current()?.transport).toBe('tls');
    const ca = (tls.turnTlsOptions?.ca ?? []) as string[];
    expect(ca.at(-1)).toBe('CA'); // the hub's CA, after the system's and Node's roots
    expect(ca.length).toBeGreaterThan(1);
    ice.connected();
    expect(ice.forPublish()).toEqual(tls); // it worked: stays
    ice.set(servers('2:room')); // renewed credentials: same url, new username
    expect(turnOf(ice.options())).toMatchObject({ urls: 'turns:t.example.vn:5349?transport=tcp', username: '2:room' });
    expect(ice.forPublish()).not.toEqual(tls); // (the last one never reported connected) → round again
    expect(ice.current()?.transport).toBe('udp');
  });

  it('the path from the selected local candidate', () => {
    const ice = new HubIce();
    ice.set(servers('1:room'));
    ice.forPublish();
    ice.forPublish();
    expect(ice.pathOf('candidate:1 1 udp 2130706431 10.0.0.2 5000 typ host')).toBe('direct-udp');
    expect(ice.pathOf('candidate:2 1 udp 16777215 192.0.2.9 49152 typ relay raddr 0.0.0.0 rport 0')).toBe('turn-tcp');
    expect(ice.pathOf(undefined)).toBe('unknown');
  });
});
