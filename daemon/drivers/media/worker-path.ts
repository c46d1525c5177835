import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The compiled worker entry. From dist/ it sits beside this file; from the .ts sources (vitest, tsx)
 * the same path under dist/ is used, because the worker must run as plain compiled JS (`npx tsc` first).
 */
export function mediaWorkerPath(): string {
  const here = fileURLToPath(new URL('./worker/media-worker.js', import.meta.url));
  if (here.includes('/dist/')) return here;
  const mapped = here.replace(/\/daemon\/drivers\/media\//, '/dist/daemon/drivers/media/');
  if (!existsSync(mapped)) throw new Error(`media worker not built: ${mapped} is missing (run npx tsc -p tsconfig.json)`);
  return mapped;
}
