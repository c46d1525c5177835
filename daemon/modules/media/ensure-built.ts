import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Test helper: the worker (and the common/ code it and test child processes load) runs as compiled JS;
// compile when dist/ is older than those sources.

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function newest(dir: string, ext: string): number {
  if (!existsSync(dir)) return 0;
  return Math.max(
    0,
    ...readdirSync(dir, { withFileTypes: true }).map((e) => {
      const p = join(dir, e.name);
      return e.isDirectory()
        ? newest(p, ext)
        : e.name.endsWith(ext) && !e.name.endsWith('.test.ts') && !e.name.endsWith('.d.ts')
          ? statSync(p).mtimeMs
          : 0;
    }),
  );
}

export function ensureWorkerBuilt(): void {
  const entry = join(ROOT, 'dist/daemon/drivers/media/worker/media-worker.js');
  const src = Math.max(newest(join(ROOT, 'daemon/drivers/media'), '.ts'), newest(join(ROOT, 'common'), '.ts'));
  if (
    existsSync(entry) &&
    Math.min(newest(join(ROOT, 'dist/daemon/drivers/media'), '.js'), newest(join(ROOT, 'dist/common'), '.js')) >= src
  )
    return;
  try {
    execFileSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: ROOT, stdio: 'pipe' });
  } catch {
    // Errors elsewhere in the tree (other work in progress) still emit our files; the check below decides.
  }
  if (!existsSync(entry)) throw new Error(`could not build ${entry}`);
}
