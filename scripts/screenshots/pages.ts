// Page steps for scripts/screenshots.ts: waits on the DOM hooks the e2e tests use
// (kiosk-ui/README.md, hub/console/README.md), with generous timeouts.
import type { Page } from '../../tests/helpers/browser.js';
import { videoPlaying } from '../../tests/helpers/media-checks.js';
import { until as pollUntil } from '../../tests/helpers/until.js';
import { PIN } from './stage.js';

/** Runs a step; a failure names the state it was producing. */
export async function step<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const t0 = Date.now();
  try {
    const out = await fn();
    console.info(`✓ ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    return out;
  } catch (err) {
    throw new Error(
      `screenshot state "${name}" failed after ${((Date.now() - t0) / 1000).toFixed(1)} s: ${(err as Error).message.split('\n')[0]}`,
      { cause: err },
    );
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** tests/helpers/until.ts for page probes: a probe that throws counts as not yet; the error says what was last seen. */
export function until<T>(what: string, probe: () => Promise<T>, timeoutMs: number, intervalMs = 250) {
  let last: unknown;
  const seen = async () => {
    try {
      return (last = await probe());
    } catch (err) {
      last = (err as Error).message;
      return undefined;
    }
  };
  return pollUntil(() => `${what} (last: ${JSON.stringify(last)})`, timeoutMs, seen, intervalMs);
}

export const bannerIs = (kiosk: Page, state: string, timeoutMs: number) =>
  until(`kiosk banner "${state}"`, async () => (await kiosk.getAttribute('#banner', 'data-state')) === state, timeoutMs);

/** `videoPlaying`, tried again while time is left: a rebuilt connection replaces the video element. */
export async function playing(page: Page, selector: () => Promise<string>, timeoutMs: number) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await videoPlaying(page, await selector(), Math.max(5000, end - Date.now()));
    } catch (err) {
      if (Date.now() > end) throw err;
      await sleep(1000);
    }
  }
}

/** The officer's picture large on the kiosk and the room's own picture, both playing. */
export async function kioskVideosPlaying(kiosk: Page, timeoutMs = 45_000) {
  const main = () =>
    until('the officer figure on the kiosk', () => kiosk.getAttribute('#officer figure.big', 'data-participant'), timeoutMs);
  await playing(kiosk, async () => `#officer video[data-participant="${await main()}"]`, timeoutMs);
  await playing(kiosk, async () => '#self-video', timeoutMs);
}

export async function pinDigits(kiosk: Page, digits: string) {
  if (!(await kiosk.isVisible('#pin-pad'))) {
    await kiosk.click('#officer-button');
    await kiosk.waitForSelector('#pin-pad', { state: 'visible', timeout: 10_000 });
  }
  for (const d of digits) await kiosk.click(`#pin-pad [data-digit="${d}"]`);
}

/** PIN → officer controls, with the camera presets listed; `typed` digits are already on the pad. */
export async function unlock(kiosk: Page, typed = '') {
  if (await kiosk.isVisible('#controls')) return;
  await pinDigits(kiosk, PIN.slice(typed.length));
  await kiosk.click('#pin-ok');
  await kiosk.waitForSelector('#controls', { state: 'visible', timeout: 10_000 });
  await kiosk.locator('button.preset').first().waitFor({ timeout: 20_000 });
}

export async function lock(kiosk: Page) {
  if (await kiosk.isVisible('#pin-pad')) await kiosk.click('#pin-cancel');
  if (await kiosk.isVisible('#book-form')) await kiosk.click('#book-cancel');
  if (await kiosk.isVisible('#controls')) await kiosk.click('#lock');
  await kiosk.waitForSelector('#controls', { state: 'hidden', timeout: 10_000 });
  await kiosk.waitForSelector('#pin-pad', { state: 'hidden', timeout: 10_000 });
}

/** Text of the room's health cell on the console once it shows a real report, preferably a healthy camera
 *  and the room's box (its first host sample comes with the report after the first, ≤ 10 s later). */
export async function healthReported(page: Page) {
  const text = async () => {
    const cell = page.locator('#rooms tr[data-room="room-demo"] td.health');
    return (await cell.count()) ? await cell.innerText() : '';
  };
  const good = await until(
    '"Camera: tốt" and "Máy:" in the health of room-demo',
    async () => /Camera: tốt[\s\S]*Máy:/.test(await text()),
    60_000,
    1000,
  ).catch(() => false);
  if (good) return text();
  console.warn(`console lobby: no healthy-camera report within 60 s; showing: ${JSON.stringify(await text())}`);
  return until(
    'a health report for room-demo on the console',
    async () => ((await text()) && !/Chưa có báo cáo/.test(await text()) ? text() : ''),
    30_000,
    1000,
  );
}

/** Like `fn`, but a failure is only a warning (a nicer picture that is not the state itself). */
export const soft = (what: string, fn: () => Promise<unknown>) =>
  fn().catch((e: Error) => console.warn(`${what}: ${e.message.split('\n')[0]}`));

/** The archive's first hearing once it has arrived (and verified, or as far as it got in time). */
export async function archivedHearing(json: (u: string) => Promise<{ body: any }>, hubUrl: string, timeoutMs: number) {
  let seen: { hearing: string; state: string }[] = [];
  try {
    await until(
      'the hearing in the archive, verified',
      async () => {
        seen = (await json(`${hubUrl}/api/v1/archive/hearings`)).body ?? [];
        return seen.some((h) => h.state === 'verified');
      },
      timeoutMs,
      2000,
    );
  } catch (err) {
    if (!seen.length) throw err;
    console.warn(`archive: not verified within ${timeoutMs / 1000} s, showing it as it is (${JSON.stringify(seen)})`);
  }
  return seen.find((h) => h.state === 'verified') ?? seen[0]!;
}

/**
 * True when every video matched by `selector` shows moving frames and, with `token`, is still the
 * element marked before the capture (a rebuilt connection replaces the elements: a black picture).
 */
export const framesMoving = (page: Page, selector: string, token: string, mark: boolean) =>
  page.evaluate(
    async ([sel, tok, mk]) => {
      const vids = [...document.querySelectorAll(sel as string)] as HTMLVideoElement[];
      // No named helpers in here: tsx (esbuild keepNames) would wrap them in a __name() the page lacks.
      const before = vids.map((v) => v.getVideoPlaybackQuality().totalVideoFrames);
      await new Promise((r) => setTimeout(r, 600));
      const after = vids.map((v) => v.getVideoPlaybackQuality().totalVideoFrames);
      const ok =
        vids.length > 0 &&
        vids.every((v, i) => v.isConnected && v.videoWidth > 0 && after[i]! > before[i]! && (mk || v.dataset.shot === tok));
      if (mk) vids.forEach((v) => (v.dataset.shot = tok as string));
      return ok;
    },
    [selector, token, mark] as const,
  );

/**
 * Shoots once every kiosk shows `banner` before and after the capture (a loaded box drops the hub
 * link now and then and the kiosk rightly says "reconnecting" meanwhile) and, with `videos`, every
 * such video on the `videoPages` plays through it: up to 5 tries, `prepare` (the waits) before each.
 */
export async function steadyShot(
  kiosks: Page[],
  banner: string,
  prepare: () => Promise<unknown>,
  shoot: () => Promise<() => void>,
  videos?: { pages: Page[]; selector: string },
) {
  const all = async () => (await Promise.all(kiosks.map((k) => k.getAttribute('#banner', 'data-state')))).every((s) => s === banner);
  const moving = async (token: string, mark: boolean) =>
    !videos || (await Promise.all(videos.pages.map((p) => framesMoving(p, videos.selector, token, mark)))).every(Boolean);
  for (let attempt = 1; ; attempt++) {
    await prepare();
    await Promise.all(kiosks.map((k) => bannerIs(k, banner, 120_000)));
    const token = `t${attempt}-${Date.now()}`;
    if ((await moving(token, true)) && (await all())) {
      const commit = await shoot();
      if ((await all()) && (await moving(token, false))) return commit();
    }
    const seen = await Promise.all(kiosks.map((k) => k.getAttribute('#banner', 'data-state')));
    const why = `banner ${seen.join(', ')}${videos ? `, videos "${videos.selector}" moving: ${await moving('x', true)}` : ''}`;
    if (attempt >= 5) throw new Error(`the state did not hold through the capture (wanted banner "${banner}"; ${why})`);
    console.warn(`the state did not hold through the capture (${why}), again (try ${attempt + 1})`);
    await sleep(2000);
  }
}
