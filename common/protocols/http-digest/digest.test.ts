import { describe, expect, it } from 'vitest';
import {
  authorizationHeader,
  challengeHeader,
  checkDigest,
  chooseChallenge,
  digestResponse,
  parseChallenges,
  parseCredentials,
} from './index.js';

// RFC 7616 §3.9.1 (the two challenges a server sends, SHA-256 first) and RFC 2617 §3.5.
const RFC7616 = {
  header:
    'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", ' +
    'opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS", Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=MD5, ' +
    'nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"',
  req: {
    method: 'GET',
    uri: '/dir/index.html',
    username: 'Mufasa',
    password: 'Circle of Life',
    cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
    nc: 1,
  },
};

describe('HTTP Digest (RFC 7616 / 2617)', () => {
  it('reads two joined challenges and answers the first (SHA-256) with the RFC 7616 response', () => {
    const cs = parseChallenges(RFC7616.header);
    expect(cs.map((c) => c.params.algorithm)).toEqual(['SHA-256', 'MD5']);
    const chosen = chooseChallenge(cs)!;
    expect(chosen).toMatchObject({ algorithm: 'SHA-256', qop: 'auth', realm: 'http-auth@example.org', stale: false });
    const auth = authorizationHeader(chosen, RFC7616.req);
    expect(parseCredentials(auth)).toMatchObject({
      response: '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1',
      nc: '00000001',
      opaque: 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS',
    });
  });

  it('MD5 of RFC 7616 and of RFC 2617 §3.5', () => {
    const base = {
      ...RFC7616.req,
      realm: 'http-auth@example.org',
      nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
      qop: 'auth' as const,
    };
    expect(digestResponse({ ...base, algorithm: 'MD5' })).toBe('8ca523f5e9506fed4657c9700eebdbec');
    expect(
      digestResponse({
        method: 'GET',
        uri: '/dir/index.html',
        username: 'Mufasa',
        password: 'Circle Of Life',
        realm: 'testrealm@host.com',
        nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
        cnonce: '0a4f113b',
        nc: 1,
        qop: 'auth',
        algorithm: 'MD5',
      }),
    ).toBe('6629fae49393a05397450978507c4ef1');
  });

  it("reads Hikvision's challenge (quoted upper-case stale, no algorithm = MD5)", () => {
    // jimm98y/SharpOnvif issue #11: the header a Hikvision camera sent to an unauthenticated PTZ call.
    const c = chooseChallenge(
      parseChallenges(
        'Digest qop="auth", realm="IP Camera(F1598)", nonce="4e446731597a466b4d7a45364e7a4930593249784e513d3d", stale="FALSE"',
      ),
    );
    expect(c).toEqual({
      realm: 'IP Camera(F1598)',
      nonce: '4e446731597a466b4d7a45364e7a4930593249784e513d3d',
      algorithm: 'MD5',
      qop: 'auth',
      stale: false,
    });
  });

  it('skips what it cannot answer: Basic, auth-int only, unknown algorithms', () => {
    expect(chooseChallenge(parseChallenges('Basic realm="x", Digest realm="r", nonce="n", qop="auth-int"'))).toBeUndefined();
    expect(chooseChallenge(parseChallenges('Digest realm="r", nonce="n", algorithm=SHA-1'))).toBeUndefined();
    expect(chooseChallenge(parseChallenges('Basic realm="ONVIF", Digest realm="r", nonce="n"'))?.qop).toBeUndefined();
  });

  it('server side: its own challenge answered checks, a wrong password or uri does not', () => {
    for (const algorithm of ['MD5', 'SHA-256'] as const) {
      const chosen = chooseChallenge(parseChallenges(challengeHeader({ realm: 'cam', nonce: 'abc123', algorithm, qop: 'auth' })))!;
      const req = { method: 'POST', uri: '/onvif/ptz_service', username: 'admin', password: 'pw', cnonce: 'c1', nc: 3 };
      const p = parseCredentials(authorizationHeader(chosen, req));
      const expect_ = { method: 'POST', uri: '/onvif/ptz_service', username: 'admin', password: 'pw', realm: 'cam' };
      expect(checkDigest(p, expect_)).toEqual({ ok: true, nonce: 'abc123', nc: 3 });
      expect(checkDigest(p, { ...expect_, password: 'other' })).toMatchObject({ ok: false, reason: 'wrong password' });
      expect(checkDigest(p, { ...expect_, uri: '/onvif/device_service' })).toMatchObject({ ok: false });
    }
    // RFC 2069 style (no qop) still checks
    const old = chooseChallenge(parseChallenges('Digest realm="cam", nonce="n1"'))!;
    const p = parseCredentials(authorizationHeader(old, { method: 'POST', uri: '/a', username: 'u', password: 'p', cnonce: 'x', nc: 1 }));
    expect(p?.qop).toBeUndefined();
    expect(checkDigest(p, { method: 'POST', uri: '/a', username: 'u', password: 'p', realm: 'cam' }).ok).toBe(true);
  });
});
