import { RTCPeerConnection } from 'werift';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../common/log.js';
import { sha256Hex } from '../../config/auth.js';
import { buildHub, type HubDeps } from '../../create-hub.js';
import { hubPeerConfig } from '../../sfu/peer-config.js';
import { enrollRooms } from '../../test/hub-fixture.js';

// RFC 9725 details of the hub's WHIP/WHEP (issue 16 §2): ETag / If-Match on PATCH, Accept-Patch, OPTIONS and
// CORS preflights only for configured origins, DELETE that leaves nothing behind (legs, sources, metrics).
// One suite, run on each media plane: whip-rfc9725.test.ts (werift), whip-rfc9725-janus.test.ts (a real Janus).

const ORIGIN = 'https://console.province.example';
// No loopback: Janus's ICE (libnice) has none; werift offers the box's other addresses too.
const peerConfig = hubPeerConfig({ hostAddresses: [], useIpv6: false, stunUrls: [], portMin: 0, portMax: 0 });

/** A werift offer (no media needed for the HTTP side): sendonly for WHIP, recvonly for WHEP. */
async function offer(direction: 'sendonly' | 'recvonly') {
  const pc = new RTCPeerConnection(peerConfig);
  pc.addTransceiver('audio', { direction });
  pc.addTransceiver('video', { direction });
  await pc.setLocalDescription(await pc.createOffer());
  return { pc, sdp: pc.localDescription!.sdp };
}

/** `media`: the hub's media plane (undefined: werift). */
export function whipSuite(name: string, media: () => HubDeps['media']) {
  describe(name, () => {
    let hub: Awaited<ReturnType<typeof buildHub>>;
    let hearing: string;
    const pcs: RTCPeerConnection[] = [];
    beforeAll(async () => {
      hub = await buildHub({
        host: '127.0.0.1',
        port: 0,
        publicUrl: '',
        tokens: [{ name: 'officer', sha256: sha256Hex('officer-token'), roles: ['officer'] }],
        allowLoopbackOfficers: true,
        allowedOrigins: [ORIGIN],
        ice: { hostAddresses: ['127.0.0.1'], useIpv6: false, stunUrls: [], portMin: 0, portMax: 0 },
        media: media(),
        logger: silentLogger(),
      });
      await enrollRooms(hub.enrollment, 1);
      hearing = hub.store.create('RFC 9725', ['room-demo']).id;
    });
    afterAll(async () => {
      await Promise.all(pcs.map((pc) => pc.close()));
      await hub?.app.close();
    });

    const offers = new Map<string, string>(); // Location → the offer posted
    /** POSTs an offer and connects with the answer (Janus offers a WHIP feed to viewers once it is up). */
    const post = async (url: string, direction: 'sendonly' | 'recvonly') => {
      const o = await offer(direction);
      pcs.push(o.pc);
      const res = await hub.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/sdp' }, payload: o.sdp });
      if (res.statusCode === 201) {
        offers.set(String(res.headers.location), o.sdp);
        await o.pc.setRemoteDescription({ type: 'answer', sdp: res.body });
      }
      return res;
    };
    const patch = (url: string, headers: Record<string, string>, payload: string) =>
      hub.app.inject({ method: 'PATCH', url, headers: { 'content-type': 'application/trickle-ice-sdpfrag', ...headers }, payload });
    const frag = (ufrag: string) =>
      `a=ice-ufrag:${ufrag}\r\na=ice-pwd:abcdefghijklmnopqrstuvwx\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:0\r\na=candidate:1 1 udp 2130706431 127.0.0.1 40000 typ host\r\n`;

    it('POST: 201 with Location, ETag and Accept-Patch; PATCH with a stale ETag 412, with its ETag 204, an ICE restart 422 with the reason; a wrong body type 415 + Accept-Patch', async () => {
      const res = await post(`/whip/hearings/${hearing}`, 'sendonly');
      expect(res.statusCode).toBe(201);
      expect(res.headers).toMatchObject({ 'content-type': 'application/sdp', 'accept-patch': 'application/trickle-ice-sdpfrag' });
      const { location, etag } = res.headers as { location: string; etag: string };
      expect(location).toMatch(/^\/whip\/hearings\/.+\/resources\/whip-\d+$/);
      expect(etag).toMatch(/^".+"$/);
      const own = /a=ice-ufrag:(\S+)/.exec(offers.get(location)!)![1]!;
      expect((await patch(location, { 'if-match': '"stale"' }, frag(own))).statusCode).toBe(412);
      expect((await patch(location, { 'if-match': etag }, frag(own))).statusCode).toBe(204);
      const restart = await patch(location, { 'if-match': '*' }, frag('zzzz')); // new credentials: an ICE restart
      expect(restart.statusCode).toBe(422);
      expect(restart.json().message).toMatch(/DELETE this session and POST a new offer/);
      const wrongType = await hub.app.inject({ method: 'PATCH', url: location, headers: { 'content-type': 'text/plain' }, payload: 'x' });
      expect(wrongType.statusCode).toBe(415);
      expect(wrongType.headers['accept-patch']).toBe('application/trickle-ice-sdpfrag');
      expect((await hub.app.inject({ method: 'DELETE', url: location })).statusCode).toBe(200);
    });

    it('OPTIONS: Accept-Post on endpoints, Accept-Patch on sessions; a CORS preflight only for a configured origin (another: 403)', async () => {
      const opt = (url: string, headers: Record<string, string> = {}) => hub.app.inject({ method: 'OPTIONS', url, headers });
      const endpoint = await opt(`/whip/hearings/${hearing}`);
      expect(endpoint.statusCode).toBe(204);
      expect(endpoint.headers).toMatchObject({ 'accept-post': 'application/sdp', allow: 'OPTIONS, POST' });
      const session = await opt(`/whep/hearings/${hearing}/resources/whep-1`);
      expect(session.headers).toMatchObject({ 'accept-patch': 'application/trickle-ice-sdpfrag', allow: 'OPTIONS, PATCH, DELETE' });
      expect(session.headers['accept-post']).toBeUndefined();
      const preflight = { 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' };
      const ok = await opt(`/whep/hearings/${hearing}`, { origin: ORIGIN, ...preflight });
      expect(ok.statusCode).toBe(204);
      expect(ok.headers).toMatchObject({ 'access-control-allow-origin': ORIGIN, 'access-control-allow-methods': 'OPTIONS, POST' });
      const evil = await opt(`/whep/hearings/${hearing}`, { origin: 'https://evil.example', ...preflight });
      expect(evil.statusCode).toBe(403);
      expect(evil.headers['access-control-allow-origin']).toBeUndefined();
      expect(evil.headers['access-control-allow-methods']).toBeUndefined();
    });

    it('DELETE leaves nothing: the publisher leaves before its WHEP viewer, then the viewer; no leg, source or metric line remains', async () => {
      const pub = await post(`/whip/hearings/${hearing}`, 'sendonly');
      const pid = pub.headers.location!.split('/').pop()!;
      const view = await post(`/whep/hearings/${hearing}/participants/${pid}`, 'recvonly');
      expect(view.statusCode).toBe(201);
      expect(hub.conference.legs().filter((l) => l.publisherId === pid)).toHaveLength(1);
      expect((await hub.app.inject({ method: 'DELETE', url: pub.headers.location! })).statusCode).toBe(200);
      expect(hub.conference.member(pid)).toBeUndefined();
      expect((await hub.app.inject({ method: 'DELETE', url: view.headers.location! })).statusCode).toBe(200);
      expect(hub.conference.legs().filter((l) => l.publisherId === pid)).toEqual([]);
      expect(hub.conference.sources().map((s) => s.participantId)).not.toContain(pid);
      const metrics = await hub.app.inject({ method: 'GET', url: '/metrics' });
      expect(metrics.statusCode).toBe(200);
      expect(metrics.body).not.toContain(`participant="${pid}"`);
      expect((await hub.app.inject({ method: 'DELETE', url: view.headers.location! })).statusCode).toBe(404);
    });
  });
}
