import type { Page } from 'playwright-core';
import type { TestBrowser } from '../helpers/browser.js';

// Chromium as a WHIP publisher and a WHEP viewer, as a web page would do it with RTCPeerConnection and fetch
// (non-trickle: the offer waits for ICE gathering). The publisher sends the fake camera at 320×240 and a 440 Hz
// tone from WebAudio (steady, unlike the fake microphone's beeps); the viewer's figures come from getStats().

type Win = Window & { pc?: RTCPeerConnection };

async function openPage(browser: TestBrowser, origin: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${origin}/console/signin.html`); // the hub's origin without the live console app
  return page;
}

export async function startChromiumPublisher(browser: TestBrowser, origin: string, url: string) {
  const page = await openPage(browser, origin);
  const location = await page.evaluate(async (url) => {
    const cam = await navigator.mediaDevices.getUserMedia({ video: { width: 320, height: 240, frameRate: 15 } });
    const ctx = new AudioContext();
    const tone = ctx.createOscillator();
    const gain = ctx.createGain();
    gain.gain.value = 0.3;
    const dest = ctx.createMediaStreamDestination();
    tone.connect(gain).connect(dest);
    tone.start();
    const pc = new RTCPeerConnection();
    pc.addTransceiver(cam.getVideoTracks()[0]!, { direction: 'sendonly' });
    pc.addTransceiver(dest.stream.getAudioTracks()[0]!, { direction: 'sendonly' });
    await pc.setLocalDescription(await pc.createOffer());
    await new Promise<void>((r) =>
      pc.iceGatheringState === 'complete'
        ? r()
        : pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && r()),
    );
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/sdp' }, body: pc.localDescription!.sdp });
    if (res.status !== 201) throw new Error(`POST ${res.status}: ${await res.text()}`);
    await pc.setRemoteDescription({ type: 'answer', sdp: await res.text() });
    (window as Win).pc = pc;
    return res.headers.get('location')!;
  }, url);
  return { page, location: new URL(location, origin).toString(), stop: () => stopPage(page, new URL(location, origin).toString()) };
}

export async function startChromiumViewer(browser: TestBrowser, origin: string, url: string) {
  const page = await openPage(browser, origin);
  const location = await page.evaluate(async (url) => {
    const pc = new RTCPeerConnection();
    pc.addTransceiver('video', { direction: 'recvonly' });
    pc.addTransceiver('audio', { direction: 'recvonly' });
    const stream = new MediaStream();
    const video = Object.assign(document.createElement('video'), { autoplay: true, id: 'whep' });
    document.body.append(video);
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
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/sdp' }, body: pc.localDescription!.sdp });
    if (res.status !== 201) throw new Error(`POST ${res.status}: ${await res.text()}`);
    await pc.setRemoteDescription({ type: 'answer', sdp: await res.text() });
    (window as Win).pc = pc;
    return res.headers.get('location')!;
  }, url);
  return {
    page,
    location: new URL(location, origin).toString(),
    /** Running totals: frames decoded, audio seconds played and their energy (sum of level² × seconds). */
    sample: () =>
      page.evaluate(async () => {
        const out = { frames: 0, audioSeconds: 0, energy: 0 };
        for (const s of (await (window as Win).pc!.getStats()).values()) {
          if (s.type !== 'inbound-rtp') continue;
          if (s.kind === 'video') out.frames = s.framesDecoded ?? 0;
          else Object.assign(out, { audioSeconds: s.totalSamplesDuration ?? 0, energy: s.totalAudioEnergy ?? 0 });
        }
        return out;
      }),
    stop: () => stopPage(page, new URL(location, origin).toString()),
  };
}

async function stopPage(page: Page, location: string): Promise<number> {
  const status = await page.evaluate(async (loc) => {
    const r = await fetch(loc, { method: 'DELETE' });
    (window as Win).pc?.close();
    return r.status;
  }, location);
  await page.close();
  return status;
}
