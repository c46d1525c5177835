import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The ecosystem file as pm2 loads it (require); tests/e2e/pm2-demo.test.ts runs it under pm2-runtime.
interface App {
  name: string;
  script: string;
  args: string[];
  cwd: string;
  autorestart: boolean;
  kill_timeout: number;
  env: Record<string, string>;
}
const ROOT = resolve(import.meta.dirname, '..');
const { apps } = createRequire(import.meta.url)(resolve(ROOT, 'ecosystem.config.cjs')) as { apps: App[] };
const byName = (n: string) => apps.find((a) => a.name === n)!;
const flag = (a: App, f: string) => a.args[a.args.indexOf(f) + 1];

describe('ecosystem.config.cjs', () => {
  it('runs hub, sim, daemon and gateway from the compiled CLI', () => {
    expect(apps.map((a) => a.name)).toEqual(['reception-hub', 'reception-sim', 'reception-daemon', 'reception-gateway']);
    expect(apps.map((a) => a.args[0])).toEqual(['hub', 'sim', 'daemon', 'gateway']);
  });

  it.each(['reception-hub', 'reception-sim', 'reception-daemon', 'reception-gateway'])(
    '%s: script in dist, a real subcommand, restarts, SIGINT grace, thread pool',
    (name) => {
      const app = byName(name);
      expect(app.cwd).toBe(ROOT);
      expect(app.script).toBe('dist/provisioning/reception.js');
      expect(existsSync(resolve(app.cwd, app.script)), 'build first: npx tsc -p tsconfig.json').toBe(true);
      expect(existsSync(resolve(app.cwd, `dist/provisioning/commands/${app.args[0]}-command.js`))).toBe(true);
      expect(app.args.every((a) => typeof a === 'string' && a.length > 0)).toBe(true);
      expect(app.autorestart).toBe(true);
      expect(app.kill_timeout).toBeGreaterThanOrEqual(5000);
      expect(app.env.UV_THREADPOOL_SIZE).toBe('16');
    },
  );

  it('daemon and gateway read the config the simulator writes', () => {
    const config = flag(byName('reception-sim'), '--write-config');
    expect(config).toBe('var/demo/room-demo/config.json');
    expect(flag(byName('reception-daemon'), '--config')).toBe(config);
    expect(flag(byName('reception-gateway'), '--config')).toBe(config);
  });

  it('the room dials the hub pm2 starts', () => {
    expect(flag(byName('reception-sim'), '--hub-url')).toBe(`ws://127.0.0.1:${flag(byName('reception-hub'), '--port')}/api/v1/signal`);
  });
});
