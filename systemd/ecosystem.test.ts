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
  it('runs hub, sim, daemon and gateway from the compiled CLI, and enrolls the room between them', () => {
    expect(apps.map((a) => a.name)).toEqual([
      'reception-hub',
      'reception-sim',
      'reception-enroll',
      'reception-daemon',
      'reception-gateway',
    ]);
    expect(apps.filter((a) => a.name !== 'reception-enroll').map((a) => a.args[0])).toEqual(['hub', 'sim', 'daemon', 'gateway']);
    expect(byName('reception-hub').args).not.toContain('--rooms'); // no shared room secrets: rooms enroll
    expect(apps.flatMap((a) => a.args).join(' ')).not.toMatch(/room-secret|demo-room-secret/);
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

  it('daemon and gateway read the config the simulator writes, put in place once the room is enrolled', () => {
    const written = flag(byName('reception-sim'), '--write-config');
    expect(written).toBe('var/demo/room-demo/config.sim.json');
    const enroll = byName('reception-enroll').args.at(-1)!; // the one-shot's code: enrollDemoRoom, then the copy
    expect(enroll).toContain('enrollDemoRoom');
    expect(enroll).toContain(`copyFileSync('${written}', 'var/demo/room-demo/config.json')`);
    expect(flag(byName('reception-daemon'), '--config')).toBe('var/demo/room-demo/config.json');
    expect(flag(byName('reception-gateway'), '--config')).toBe('var/demo/room-demo/config.json');
  });

  it('the room dials the hub pm2 starts', () => {
    expect(flag(byName('reception-sim'), '--hub-url')).toBe(`ws://127.0.0.1:${flag(byName('reception-hub'), '--port')}/api/v1/signal`);
  });
});
