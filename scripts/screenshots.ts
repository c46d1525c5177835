// Regenerates docs/screenshots/: every kiosk state and console view at 1920×1080 and 1280×720, from
// real processes (hub, simulated room, gateway) and Chromium with a fake camera. After `npm run build`:
//   npx tsx scripts/screenshots.ts        (npm run screenshots: bootstrap, build, then this)
// Index of the images: docs/screenshots/README.md. Exits non-zero, naming the state, on failure.
import { fileURLToPath } from 'node:url';
import { json } from '../tests/helpers/room-processes.js';
import {
  archivedHearing,
  bannerIs,
  healthReported,
  kioskVideosPlaying,
  lock,
  pinDigits,
  playing,
  soft,
  steadyShot,
  step,
  unlock,
  until,
} from './screenshots/pages.js';
import { PIN, startStage, type Stage } from './screenshots/stage.js';
import { failureEvidence, fillBook } from './screenshots/book.js';

const OUT = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));
const TITLE = 'Phiên tiếp công dân — phường Điện Biên';
const all = <T>(stage: Stage, fn: (s: Stage['screens'][number]) => Promise<T>) => Promise.all(stage.screens.map(fn));
type Page = Stage['screens'][number]['kiosk'];

async function run(stage: Stage) {
  const { hub, room } = stage;
  const K = stage.screens.map((s) => s.kiosk);
  const C = stage.screens.map((s) => s.console);
  const kiosks = (fn: (k: Page) => Promise<unknown>) => Promise.all(K.map(fn));
  const consoles = (fn: (c: Page) => Promise<unknown>) => Promise.all(C.map(fn));
  const kioskShot = (state: string, banner: string, prepare: () => Promise<unknown> = async () => {}, videos = '#self-video') =>
    steadyShot(K, banner, prepare, () => stage.shoot('kiosk', state), videos ? { pages: K, selector: videos } : undefined);
  const inHearing = () => kiosks(async (k) => (await bannerIs(k, 'in-hearing', 120_000), await kioskVideosPlaying(k, 90_000)));

  await step('kiosk idle', () =>
    kioskShot('idle', 'idle', () =>
      kiosks(async (k) => {
        await until(
          '"Kết nối tốt/chậm" on the kiosk',
          async () => /Kết nối (tốt|chậm)/.test((await k.textContent('#network')) ?? ''),
          60_000,
        );
        await soft("kiosk idle: the room's own picture", () => playing(k, async () => '#self-video', 45_000));
      }),
    ),
  );
  await step('console lobby', async () => {
    await consoles((c) => healthReported(c));
    (await stage.shoot('console', 'lobby'))();
  });
  await step('kiosk pin-pad', () =>
    kioskShot('pin-pad', 'idle', () =>
      kiosks(async (k) => {
        if (!(await k.isVisible('#pin-pad'))) await pinDigits(k, PIN.slice(0, 2));
      }),
    ),
  );
  await step('kiosk controls', async () => {
    await kioskShot('controls', 'idle', () => kiosks((k) => unlock(k, PIN.slice(0, 2))));
    await kiosks(lock);
  });

  const hearing = await step('kiosk waiting', async () => {
    const created = await json(`${hub.url}/api/v1/hearings`, { method: 'POST', body: JSON.stringify({ title: TITLE, rooms: [room.id] }) });
    if (created.status >= 300) throw new Error(`POST /api/v1/hearings → ${created.status} ${JSON.stringify(created.body)}`);
    await kioskShot('waiting', 'waiting', () =>
      kiosks((k) => k.waitForSelector('#recording-notice', { state: 'visible', timeout: 30_000 })),
    );
    return created.body as { id: string };
  });

  await step('kiosk in-hearing', async () => {
    await consoles(async (c) => {
      await c.locator(`#hearings li[data-hearing="${hearing.id}"] .join`).click({ timeout: 30_000 });
      await playing(c, async () => 'video[data-participant="room-demo"]', 150_000);
    });
    await all(stage, (s) => fillBook(s.console, s.officer));
    await kioskShot(
      'in-hearing',
      'in-hearing',
      () =>
        inHearing().then(() =>
          kiosks((k) =>
            until('the recording clock', async () => /^\d{2}:\d{2}:\d{2}$/.test((await k.textContent('#recording-elapsed')) ?? ''), 10_000),
          ),
        ),
      '#officer figure.big video, #self-video',
    );
  });
  await step('console call', () =>
    steadyShot(
      K,
      'in-hearing',
      async () => {
        await inHearing();
        await consoles(async (c) => {
          await playing(c, async () => 'video[data-participant="room-demo"]', 90_000);
          await c.evaluate(() => ((document.activeElement as HTMLElement | null)?.blur(), window.scrollTo(0, 0)));
        });
      },
      () => stage.shoot('console', 'call'),
      { pages: C, selector: 'video[data-participant="room-demo"], video[data-participant="me"]' },
    ),
  );

  await step('kiosk book-form', async () => {
    const first = C[0]!;
    await first.click('#book-submit');
    await until(
      'the room writing the book',
      async () => /Đã ghi tại phòng/.test((await first.textContent('#book-status')) ?? ''),
      60_000,
      1000,
    ).catch((e: Error) => console.warn(`book not confirmed by the room: ${e.message}`));
    await kioskShot('book-form', 'in-hearing', () =>
      kiosks(async (k) => {
        await unlock(k);
        if (!(await k.isVisible('#book-form'))) await k.click('#open-book', { timeout: 30_000 });
        await k.waitForSelector('#book-form', { state: 'visible', timeout: 10_000 });
      }),
    );
    // The touch keyboard (no physical one on the room box), open on the handling field.
    await kioskShot('book-keyboard', 'in-hearing', () =>
      kiosks(async (k) => {
        await k.click('#book-form [name="handling"]');
        await k.waitForSelector('#osk', { state: 'visible', timeout: 10_000 });
      }),
    );
    await kiosks(async (k) => (await k.isVisible('#osk')) && k.click('#osk [data-action="done"]'));
    await kiosks(lock);
  });

  await step('kiosk camera-unavailable', async () => {
    const control = room.sim.ready.control;
    const stop = await json(`${control}/sims/rtsp/stop`, { method: 'POST', body: '{}' });
    if (stop.status !== 200) throw new Error(`sims/rtsp/stop → ${stop.status}`);
    await kioskShot('camera-unavailable', 'camera-unavailable', undefined, ''); // the slate comes and goes while the worker retries
    await json(`${control}/sims/rtsp/start`, { method: 'POST', body: '{}' });
    await inHearing();
  });

  await step('kiosk reconnecting', async () => {
    await room.killGateway();
    await kioskShot('reconnecting', 'reconnecting', undefined, '');
    await room.restartGateway();
    await inHearing();
  });

  await step('console archive', async () => {
    await C[0]!.click('#end');
    await kiosks((k) => bannerIs(k, 'idle', 60_000));
    const archived = await archivedHearing(json, hub.url, 90_000);
    await consoles(async (c) => {
      await c.goto(`${hub.url}/console/archive.html`);
      await c.locator('#hearings tbody tr', { hasText: archived.hearing }).first().click({ timeout: 20_000 });
      await c.waitForSelector('#detail', { state: 'visible', timeout: 20_000 });
      // A first frame in the player, or the page saying it cannot play a segment.
      await c.waitForFunction(
        () =>
          (document.querySelector('#player') as HTMLVideoElement).readyState >= 2 ||
          /Không phát được/.test(document.querySelector('#message')?.textContent ?? ''),
        null,
        { timeout: 60_000 },
      );
      if ((await c.$eval('#player', (v) => (v as HTMLVideoElement).readyState)) < 2)
        console.warn(`console archive: the player shows no picture (${await c.textContent('#message')})`);
    });
    (await stage.shoot('console', 'archive'))();
  });
}

let stage: Stage | undefined;
let code = 0;
const onSignal = async () => {
  console.error('interrupted: stopping every process');
  await stage?.stop();
  process.exit(130);
};
process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
try {
  stage = await step('start hub, room, Chromium', () => startStage(OUT));
  await run(stage);
  console.info(`done: screenshots in ${OUT}`);
} catch (err) {
  console.error(`✗ ${(err as Error).message}`);
  code = 1;
  if (stage) await failureEvidence(stage);
} finally {
  await stage?.stop();
}
process.exit(code);
