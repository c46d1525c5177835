import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../common/log.js';
import { startPostgres, type PgCluster } from '../../tests/helpers/postgres.js';
import { validateHubConfig } from '../config/load-config.js';
import { run as runHubCommand } from '../../provisioning/commands/hub-command.js';
import { runMigrateCommand } from './migrate-command.js';
import { HubStoreError, openHubStore } from './hub-store.js';

// The hub's own migrations against a real PostgreSQL, `reception hub migrate`, and the `store` key.

let cluster: PgCluster;
beforeAll(async () => {
  cluster = await startPostgres();
});
afterAll(() => cluster?.remove());

describe('hub store', () => {
  it('reception hub migrate applies the hub migrations, then has nothing to do; the hub start finds them applied', async () => {
    const url = await cluster.createDatabase();
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(await runMigrateCommand(['--store', url])).toBe(0);
      const first = JSON.parse(String(out.mock.calls[0]?.[0]).split('\n')[0]!);
      expect(first.applied[0]).toBe('001_hearings.sql');
      expect(first.store).not.toContain(new URL(url).password);
      expect(await runMigrateCommand(['--store', url])).toBe(0);
      expect(String(out.mock.calls.at(-1)?.[0])).toContain('already up to date');
    } finally {
      out.mockRestore();
    }
    const store = await openHubStore(url, silentLogger());
    expect(store.applied).toEqual([]);
    await store.close();
  });

  it('an unreachable database at start is a HubStoreError naming the URL without its password', async () => {
    const err = await openHubStore(`postgres://hub:pw123@127.0.0.1:${cluster.port + 1}/hub`, silentLogger()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HubStoreError);
    expect((err as Error).message).toMatch(/cannot connect to the database postgres:\/\/hub:\*\*\*@127\.0\.0\.1:\d+\/hub/);
    expect((err as Error).message).not.toContain('pw123');
  });

  it('reception hub --store with nobody listening: exit 1, the URL named with its password hidden, nothing started', async () => {
    const err: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
    try {
      const url = `postgres://hub:pw123@127.0.0.1:${cluster.port + 1}/hub`;
      expect(await runHubCommand(['--store', url, '--port', '0'])).toBe(1);
    } finally {
      spy.mockRestore();
    }
    expect(err.join('')).toMatch(
      /^không kết nối được cơ sở dữ liệu \/ cannot connect to the database postgres:\/\/hub:\*\*\*@127\.0\.0\.1:\d+\/hub: /,
    );
    expect(err.join('')).not.toContain('pw123');
  });

  it('the store key: "" or a postgres URL; anything else is refused naming /store', () => {
    expect(validateHubConfig({}).store).toBe('');
    expect(validateHubConfig({ store: 'postgres://h:p@db:5432/hub' }).store).toBe('postgres://h:p@db:5432/hub');
    for (const bad of ['mysql://db/hub', 'not a url', 'postgres://db'])
      expect(() => validateHubConfig({ store: bad })).toThrow(/at \/store: /);
  });
});
