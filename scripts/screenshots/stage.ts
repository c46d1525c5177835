// The stage for scripts/screenshots.ts: a hub, one simulated room (sims, daemon + media worker,
// gateway, kiosk PIN) and one Chromium with a kiosk page and a console page at each screen size.
// Reuses the e2e test helpers (real processes on free loopback ports, Debian chromium, fake camera).
import { mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, type Page, type TestBrowser } from '../../tests/helpers/browser.js';
import { startHubProcess, startLinkedRoom } from '../../tests/helpers/hub-process.js';

export const PIN = '1357';
export const SIZES = [
  { width: 1920, height: 1080 },
  { width: 1280, height: 720 },
] as const;
export type Size = (typeof SIZES)[number];
export const sizeName = (s: Size) => `${s.width}x${s.height}`;

/** One kiosk page and one console page at a screen size. */
export interface Screen {
  size: Size;
  kiosk: Page;
  console: Page;
  /** The officer's name on this console (two officers join: their ids must differ). */
  officer: string;
}

export interface Stage {
  hub: Awaited<ReturnType<typeof startHubProcess>>;
  room: Awaited<ReturnType<typeof startLinkedRoom>>;
  browser: TestBrowser;
  screens: Screen[];
  outDir: string;
  /** Screenshots of one page kind at every size, at the same moment; the returned commit keeps them (and prints each file). */
  shoot(kind: 'kiosk' | 'console', state: string): Promise<() => void>;
  stop(): Promise<void>;
}

/** The room, tried up to 3 times: a "free" port can be taken by someone else before it is bound. */
async function startRoom(hub: Parameters<typeof startLinkedRoom>[0]) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startLinkedRoom(hub, 1, { picture: true, kioskPin: PIN }); // enrolled at the hub by a one-time code
    } catch (err) {
      if (attempt >= 3) throw err;
      console.warn(`room start failed (attempt ${attempt}), again: ${(err as Error).message.split('\n')[0]}`);
    }
  }
}

const OFFICERS = ['Cán bộ Nguyễn Thị Lan', 'Cán bộ Trần Văn Đức'];

/** Starts everything; whatever started is stopped again when a later step fails. */
export async function startStage(outDir: string): Promise<Stage> {
  mkdirSync(outDir, { recursive: true });
  const stoppers: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const s of stoppers.reverse()) await s().catch((e: Error) => console.error(`stop: ${e.message}`));
    stoppers.length = 0;
  };
  try {
    const hub = await startHubProcess(1);
    stoppers.push(() => hub.stop());
    console.info(`hub ${hub.url} (state ${hub.stateDir})`);
    const room = await startRoom(hub);
    stoppers.push(() => room.stop());
    console.info(`room ${room.id}: daemon ${room.api}, sims control ${room.sim.ready.control} (logs in ${room.dir})`);
    const browser = await launchBrowser({ args: ['--autoplay-policy=no-user-gesture-required', '--lang=vi'] });
    stoppers.push(() => browser.close());
    const screens: Screen[] = [];
    for (const [i, size] of SIZES.entries()) {
      const kiosk = await browser.newPage();
      await kiosk.setViewportSize(size);
      const console_ = await browser.newPage();
      await console_.setViewportSize(size);
      screens.push({ size, kiosk, console: console_, officer: OFFICERS[i]! });
    }
    await Promise.all(screens.map((s) => s.kiosk.goto(`${room.api}/kiosk/`)));
    await Promise.all(screens.map((s) => s.console.goto(`${hub.url}/console/?name=${encodeURIComponent(s.officer)}`)));
    return {
      hub,
      room,
      browser,
      screens,
      outDir,
      async shoot(kind, state) {
        const pages = screens.map((s) => ({ page: s[kind], file: join(outDir, `${kind}-${state}-${sizeName(s.size)}.png`) }));
        // Written beside, then renamed: a capture that a later check rejects never replaces a good image.
        await Promise.all(
          pages.map(({ page, file }) => page.screenshot({ path: `${file}.part.png`, animations: 'disabled', caret: 'hide' })),
        );
        return () => {
          for (const { file } of pages) renameSync(`${file}.part.png`, file), console.info(`wrote ${file}`);
        };
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
