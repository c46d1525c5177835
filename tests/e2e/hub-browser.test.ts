import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGstVideo } from '../../hub/test/gst-source.js';
import { roomId, startTestHub, waitFor } from '../../hub/test/hub-fixture.js';
import { WeriftParticipant } from '../../hub/test/werift-participant.js';
import { launchBrowser, type Page, type TestBrowser } from '../helpers/browser.js';

// Real Chromium against the hub: the officers' console, a WHIP publisher and a WHEP viewer, with a
// werift room publishing a live GStreamer H.264 picture.

/** Resolves when the video element shows frames: a picture size and a clock that moves. */
async function playing(page: Page, selector: string) {
  await page.waitForFunction(
    (sel) => {
      const v = document.querySelector(sel) as HTMLVideoElement | null;
      return !!v && v.videoWidth > 0 && v.currentTime > 0;
    },
    selector,
    { timeout: 20_000 },
  );
  const t0 = await page.$eval(selector, (v) => (v as HTMLVideoElement).currentTime);
  await page.waitForFunction(
    ([sel, t]) => (document.querySelector(sel as string) as HTMLVideoElement).currentTime > (t as number) + 0.5,
    [selector, t0] as const,
    { timeout: 10_000 },
  );
  return page.$eval(selector, (v) => ({ width: (v as HTMLVideoElement).videoWidth, height: (v as HTMLVideoElement).videoHeight }));
}

describe('hub with Chromium', () => {
  let hub: Awaited<ReturnType<typeof startTestHub>>;
  let browser: TestBrowser;
  let room: WeriftParticipant;
  let gst: ReturnType<typeof startGstVideo>;
  let hearingId: string;

  beforeAll(async () => {
    hub = await startTestHub({ rooms: 2 });
    hearingId = (
      await hub.app.inject({ method: 'POST', url: '/api/v1/hearings', payload: { title: 'Phiên có trình duyệt', rooms: [roomId(1)] } })
    ).json().id;
    room = new WeriftParticipant({ url: hub.signalUrl, kind: 'room', id: roomId(1), token: hub.roomToken(1) });
    await room.connect();
    gst = startGstVideo(await room.listenRtp('video'));
    await room.publish();
    browser = await launchBrowser();
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await gst?.stop();
    await room?.close();
    await hub?.stop();
  });

  it('the console joins the hearing, shows the room and publishes the officer', async () => {
    const page = await browser.newPage();
    await page.goto(`${hub.url}/console/?join=${hearingId}&name=C%C3%A1n%20b%E1%BB%99%20Lan`);
    expect(await page.textContent('h1')).toContain('Điểm tiếp công dân');
    const size = await playing(page, 'video[data-participant="room-demo"]');
    expect(size.width).toBe(320);
    const officer = await waitFor(
      () => hub.conference.members().find((m) => m.info.kind === 'officer' && m.publish),
      10_000,
      'officer publishing',
    );
    await waitFor(() => (room.received.get(officer.info.id) ?? 0) > 50, 15_000, 'room receives the officer');
    await page.close();
    await waitFor(() => !hub.conference.member(officer.info.id), 5000, 'officer detached');
  });

  it('WHIP: a Chromium page publishes into the hearing; the room receives it; DELETE detaches', async () => {
    const page = await browser.newPage();
    await page.goto(`${hub.url}/console/`);
    const res = await page.evaluate(async (url) => {
      const stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
      const pc = new RTCPeerConnection();
      stream.getTracks().forEach((t) => pc.addTransceiver(t, { direction: 'sendonly' }));
      await pc.setLocalDescription(await pc.createOffer());
      await new Promise<void>((r) =>
        pc.iceGatheringState === 'complete'
          ? r()
          : pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && r()),
      );
      const post = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/sdp' }, body: pc.localDescription!.sdp });
      const answer = await post.text();
      await pc.setRemoteDescription({ type: 'answer', sdp: answer });
      (window as unknown as { whipPc: RTCPeerConnection }).whipPc = pc;
      return {
        status: post.status,
        location: post.headers.get('location'),
        etag: post.headers.get('etag'),
        type: post.headers.get('content-type'),
      };
    }, `${hub.url}/whip/hearings/${hearingId}`);
    expect(res).toMatchObject({ status: 201, type: 'application/sdp' });
    expect(res.location).toMatch(new RegExp(`^/whip/hearings/${hearingId}/resources/whip-\\d+$`));
    expect(res.etag).toBeTruthy();
    const whipId = res.location!.split('/').pop()!;
    await waitFor(() => (room.received.get(whipId) ?? 0) > 50, 15_000, 'room receives the WHIP publisher');
    const restart = await hub.app.inject({
      method: 'PATCH',
      url: res.location!,
      headers: { 'content-type': 'application/trickle-ice-sdpfrag', 'if-match': res.etag! },
      payload: 'a=ice-ufrag:zzzz\r\na=ice-pwd:zzzzzzzzzzzzzzzzzzzzzzzz\r\n',
    });
    expect(restart.statusCode).toBe(422);
    const del = await page.evaluate((url) => fetch(url, { method: 'DELETE' }).then((r) => r.status), `${hub.url}${res.location}`);
    expect(del).toBe(200);
    expect(hub.conference.member(whipId)).toBeUndefined();
    await page.close();
  });

  it('WHEP: a Chromium page watches the first room of the hearing', async () => {
    const page = await browser.newPage();
    await page.goto(`${hub.url}/console/signin.html`); // same origin, without the live console app: on /console/ with enrolled rooms this video never played
    const status = await page.evaluate(async (url) => {
      const pc = new RTCPeerConnection();
      pc.addTransceiver('video', { direction: 'recvonly' });
      pc.addTransceiver('audio', { direction: 'recvonly' });
      const video = document.createElement('video');
      video.id = 'whep';
      video.muted = true;
      video.autoplay = true;
      document.body.append(video);
      const stream = new MediaStream();
      pc.ontrack = (e) => {
        stream.addTrack(e.track);
        video.srcObject = stream;
      };
      await pc.setLocalDescription(await pc.createOffer());
      await new Promise<void>((r) =>
        pc.iceGatheringState === 'complete'
          ? r()
          : pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && r()),
      );
      const post = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/sdp' }, body: pc.localDescription!.sdp });
      await pc.setRemoteDescription({ type: 'answer', sdp: await post.text() });
      return post.status;
    }, `${hub.url}/whep/hearings/${hearingId}`);
    expect(status).toBe(201);
    expect((await playing(page, '#whep')).width).toBe(320);
    await page.close();
  });

  it('WHIP/WHEP refuse bad input: 401 bad token, 404 unknown hearing, 400 bad SDP, OPTIONS lists Accept-Post', async () => {
    const sdp = { 'content-type': 'application/sdp' };
    expect(
      (
        await hub.app.inject({
          method: 'POST',
          url: `/whip/hearings/${hearingId}`,
          headers: { ...sdp, authorization: 'Bearer wrong' },
          payload: 'v=0\r\n',
        })
      ).statusCode,
    ).toBe(401);
    expect(
      (
        await hub.app.inject({
          method: 'POST',
          url: `/whip/hearings/${hearingId}`,
          headers: sdp,
          payload: 'v=0\r\n',
          remoteAddress: '10.1.2.3',
        })
      ).statusCode,
    ).toBe(401);
    expect((await hub.app.inject({ method: 'POST', url: '/whip/hearings/nope', headers: sdp, payload: 'v=0\r\n' })).statusCode).toBe(404);
    expect((await hub.app.inject({ method: 'POST', url: `/whip/hearings/${hearingId}`, headers: sdp, payload: 'hello' })).statusCode).toBe(
      400,
    );
    expect(
      (
        await hub.app.inject({
          method: 'POST',
          url: `/whip/hearings/${hearingId}`,
          headers: sdp,
          payload: 'v=0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\n',
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (await hub.app.inject({ method: 'POST', url: `/whep/hearings/${hearingId}/participants/room-2`, headers: sdp, payload: 'v=0\r\n' }))
        .statusCode,
    ).toBe(404);
    const options = await hub.app.inject({ method: 'OPTIONS', url: `/whip/hearings/${hearingId}` });
    expect(options.headers['accept-post']).toBe('application/sdp');
    expect((await hub.app.inject({ method: 'DELETE', url: `/whip/hearings/${hearingId}/resources/whip-999` })).statusCode).toBe(404);
  });
});
