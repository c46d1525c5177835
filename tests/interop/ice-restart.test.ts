import { loadavg } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roomId, startTestHub, waitFor } from '../../hub/test/hub-fixture.js';
import { launchBrowser, type TestBrowser } from '../helpers/browser.js';
import { startChromiumPublisher } from './chromium-clients.js';

// RFC 9725 §4.4.1 ICE restart: a Chromium WHIP publisher restarts ICE (restartIce → new credentials and
// candidates), PATCHes them with If-Match: *, gets the hub's new credentials (200, a fragment, a new ETag) and
// keeps publishing on the new ICE session — at the same packet rate (no track attached twice).

type Win = Window & { pc: RTCPeerConnection };

describe('WHIP ICE restart (Chromium)', () => {
  let hub: Awaited<ReturnType<typeof startTestHub>>;
  let browser: TestBrowser;
  let hearing: string;
  beforeAll(async () => {
    hub = await startTestHub({ rooms: 1 });
    hearing = (
      await hub.app.inject({ method: 'POST', url: '/api/v1/hearings', payload: { title: 'ICE restart', rooms: [roomId(1)] } })
    ).json().id;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
  });

  it('PATCH with new ICE credentials → 200 + the hub’s new ones; media keeps flowing at the same rate', async () => {
    const pub = await startChromiumPublisher(browser, hub.url, `${hub.url}/whip/hearings/${hearing}`);
    const pid = pub.location.split('/').pop()!;
    const received = () => hub.conference.sources().find((s) => s.participantId === pid)!.received.audio.packets;
    const rate = async () => {
      const a = received();
      const t = performance.now();
      await waitFor(() => performance.now() - t > 2000, 5000, 'a 2 s window');
      return ((received() - a) * 1000) / (performance.now() - t);
    };
    await waitFor(() => received() > 50, 20_000, 'audio at the hub');
    const before = await rate();
    const hubUfrag = () => /a=ice-ufrag:(\S+)/.exec(hub.conference.member(pid)!.publish!.pc.localDescription!.sdp)![1];
    const oldUfrag = hubUfrag();
    const page = browser.browser.pages().at(-1)!;
    const res = await page.evaluate(async (location) => {
      const pc = (window as unknown as Win).pc;
      pc.restartIce();
      await pc.setLocalDescription(await pc.createOffer());
      await new Promise<void>((r) =>
        pc.iceGatheringState === 'complete'
          ? r()
          : pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && r()),
      );
      const local = pc.localDescription!.sdp;
      const first = local.split(/(?=^m=)/m)[1]!;
      const pick = (re: RegExp, s: string) => re.exec(s)![1]!;
      const frag = [
        `a=ice-ufrag:${pick(/^a=ice-ufrag:(\S+)/m, local)}`,
        `a=ice-pwd:${pick(/^a=ice-pwd:(\S+)/m, local)}`,
        first.split(/\r\n/)[0],
        `a=mid:${pick(/^a=mid:(\S+)/m, first)}`,
        ...first.split(/\r\n/).filter((l) => l.startsWith('a=candidate:')),
        '',
      ].join('\r\n');
      const r = await fetch(location, {
        method: 'PATCH',
        headers: { 'content-type': 'application/trickle-ice-sdpfrag', 'if-match': '*' },
        body: frag,
      });
      const body = await r.text();
      if (r.status !== 200) return { status: r.status, body };
      // The session's answer with the hub's new ICE credentials and candidates.
      const ufrag = pick(/^a=ice-ufrag:(\S+)/m, body);
      const pwd = pick(/^a=ice-pwd:(\S+)/m, body);
      const candidates = body.split(/\r\n/).filter((l) => l.startsWith('a=candidate:'));
      const answer = pc
        .currentRemoteDescription!.sdp.split(/(?=^m=)/m)
        .map((s, i) =>
          s
            .replace(/^a=ice-ufrag:.*$/gm, `a=ice-ufrag:${ufrag}`)
            .replace(/^a=ice-pwd:.*$/gm, `a=ice-pwd:${pwd}`)
            .replace(/^a=(candidate:|end-of-candidates).*\r\n/gm, '')
            .replace(/\r\n$/, i === 1 ? `\r\n${candidates.join('\r\n')}\r\n` : '\r\n'),
        )
        .join('');
      await pc.setRemoteDescription({ type: 'answer', sdp: answer });
      return { status: r.status, etag: r.headers.get('etag'), type: r.headers.get('content-type'), body };
    }, pub.location);
    expect(res, JSON.stringify(res)).toMatchObject({ status: 200, type: 'application/trickle-ice-sdpfrag' });
    expect(res.body).toMatch(/^a=candidate:/m);
    expect(hubUfrag()).not.toBe(oldUfrag);
    const mark = received();
    await waitFor(() => received() > mark + 50, 20_000, 'audio after the restart');
    await waitFor(
      () => page.evaluate(() => (window as unknown as Win).pc.iceConnectionState === 'connected'),
      20_000,
      'Chromium connected again',
    );
    const after = await rate();
    console.log(`ICE restart: audio ${before.toFixed(1)} packets/s before, ${after.toFixed(1)} after; load ${loadavg()[0]!.toFixed(2)}`);
    expect(after).toBeGreaterThan(before * 0.5);
    expect(after).toBeLessThan(before * 1.5); // a track attached twice would double it
    expect(await pub.stop()).toBe(200);
  }, 90_000);
});
