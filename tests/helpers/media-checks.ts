import type { Page } from 'playwright-core';

/** Resolves when the video element shows frames: a picture size and a clock that moves. */
export async function videoPlaying(page: Page, selector: string, timeout = 20_000) {
  await page.waitForFunction(
    (sel) => {
      const v = document.querySelector(sel) as HTMLVideoElement | null;
      return !!v && v.videoWidth > 0 && v.currentTime > 0;
    },
    selector,
    { timeout },
  );
  const t0 = await page.$eval(selector, (v) => (v as HTMLVideoElement).currentTime);
  // The clock must move on: a picture that froze is not playing. Same budget as the first frame (a
  // stalled subscription is resubscribed by the pages within ~12 s, which 10 s could not see).
  await page.waitForFunction(
    ([sel, t]) => (document.querySelector(sel as string) as HTMLVideoElement).currentTime > (t as number) + 0.5,
    [selector, t0] as const,
    { timeout: Math.max(10_000, timeout) },
  );
  return page.$eval(selector, (v) => ({ width: (v as HTMLVideoElement).videoWidth, height: (v as HTMLVideoElement).videoHeight }));
}

/**
 * Loudness (RMS, 0..1) of the audio a video element receives, measured with an AnalyserNode over
 * ~0.5 s: proves sound arrives, not just an audio track. The simulated camera sends a 440 Hz tone.
 */
export async function audioLevel(page: Page, selector: string): Promise<number> {
  return page.$eval(selector, async (el) => {
    const stream = (el as HTMLVideoElement).srcObject as MediaStream | null;
    if (!stream || stream.getAudioTracks().length === 0) return 0;
    const ctx = new AudioContext();
    await ctx.resume();
    const analyser = ctx.createAnalyser();
    analyser.fftSize = 2048;
    ctx.createMediaStreamSource(new MediaStream(stream.getAudioTracks())).connect(analyser);
    const buf = new Float32Array(analyser.fftSize);
    let peak = 0;
    for (let i = 0; i < 10; i++) {
      await new Promise((r) => setTimeout(r, 50));
      analyser.getFloatTimeDomainData(buf);
      peak = Math.max(peak, Math.sqrt(buf.reduce((s, v) => s + v * v, 0) / buf.length));
    }
    await ctx.close();
    return peak;
  });
}
