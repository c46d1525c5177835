import { describe, expect, it } from 'vitest';
import { answerFrag, restartedOffer } from './ice-restart.js';
import { parseSdpFrag } from './sdp-frag.js';

const offer = [
  'v=0',
  'o=- 1 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0 1',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111',
  'a=mid:0',
  'a=ice-ufrag:old1',
  'a=ice-pwd:oldpasswordoldpassword12',
  'a=candidate:1 1 udp 2130706431 127.0.0.1 40000 typ host',
  'a=end-of-candidates',
  'm=video 9 UDP/TLS/RTP/SAVPF 96',
  'a=mid:1',
  'a=ice-ufrag:old1',
  'a=ice-pwd:oldpasswordoldpassword12',
  '',
].join('\r\n');

describe('ICE restart fragments', () => {
  it('the re-offer carries the new credentials everywhere and only the new candidates, in their section', () => {
    const frag = parseSdpFrag(
      'a=ice-ufrag:new2\r\na=ice-pwd:newpasswordnewpassword34\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:0\r\na=candidate:2 1 udp 2130706431 127.0.0.1 50000 typ host\r\n',
    );
    const out = restartedOffer(offer, frag);
    expect(out).not.toMatch(/old1|oldpassword|40000|end-of-candidates/);
    expect(out.match(/a=ice-ufrag:new2/g)).toHaveLength(2);
    expect(out).toContain(
      'a=mid:0\r\na=ice-ufrag:new2\r\na=ice-pwd:newpasswordnewpassword34\r\na=candidate:2 1 udp 2130706431 127.0.0.1 50000 typ host\r\nm=video',
    );
    expect(out.endsWith('a=ice-pwd:newpasswordnewpassword34\r\n')).toBe(true);
  });

  it('the answer fragment: credentials, the first section’s m= and mid, its candidates, end-of-candidates', () => {
    expect(answerFrag(offer)).toBe(
      'a=ice-ufrag:old1\r\na=ice-pwd:oldpasswordoldpassword12\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\n' +
        'a=candidate:1 1 udp 2130706431 127.0.0.1 40000 typ host\r\na=end-of-candidates\r\n',
    );
  });
});
