// Chromium inside a network namespace (the room's, for its kiosk page): Playwright talks to the browser over the
// pipe it opens on fds 3/4, and `ip netns exec` keeps them, so a one-line wrapper as the executable is enough —
// the page then sees that namespace's loopback (the gateway's kiosk bridge at 127.0.0.1). System Chromium only.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './browser.js';

export async function launchBrowserInNs(ns: string, dir: string) {
  const wrapper = join(dir, `chromium-in-${ns}.sh`);
  writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec ${ns} ${CHROMIUM_PATH} "$@"\n`);
  chmodSync(wrapper, 0o755);
  const profile = mkdtempSync(join(dir, 'chromium-profile-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: wrapper, headless: true, args: CHROMIUM_ARGS });
  return {
    newPage: (): Promise<Page> => context.newPage(),
    async close() {
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
