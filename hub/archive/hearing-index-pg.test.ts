import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/log.js';
import { useMigratedDatabase } from '../../tests/helpers/postgres.js';
import { createArchive } from './create-archive.js';
import { describeIndexesContract } from './hearing-index-contract.js';
import { describeListingLinesContract } from './test/hearing-index-lines-contract.js';
import { createIndexListing, registryStamp } from './hearing-index-listing.js';
import { createPgIndexes } from './hearing-index-pg.js';

// The contract against PostgreSQL, then two hub nodes writing one hearing's index at once, and two archives sharing it.

const db = useMigratedDatabase(); // each suite takes a fresh migrated database of this file's cluster (pools ended in afterAll)
const migratedPool = async () => (await db.fresh()).pool;

const inPostgres = async () => {
  const pool = await migratedPool();
  const dir = mkdtempSync(join(tmpdir(), 'index-contract-pg-')); // the recordings; the indexes are in the database
  return { dir, open: async () => createPgIndexes(pool), remove: async () => rmSync(dir, { recursive: true, force: true }) };
};
describeIndexesContract('PostgreSQL', inPostgres);
describeListingLinesContract('PostgreSQL', inPostgres);

describe('archive index on two hub nodes sharing PostgreSQL', () => {
  it('two nodes adding files to one hearing at once: the advisory lock keeps every addition', async () => {
    const pool = await migratedPool();
    const [a, b] = [createPgIndexes(pool), createPgIndexes(pool)];
    const h = 'hearing-eeeeeeeeeeeeeeeeeeee';
    await a.save(a.fresh(h, 'room-e'));
    const add = (node: typeof a, name: string) =>
      node.locked(h, async () => {
        const i = (await node.load(h))!;
        i.files[name] = { sha256: '00'.repeat(32), bytes: 1, receivedAt: new Date().toISOString(), receipt: {} as never };
        await node.save(i);
      });
    await Promise.all(Array.from({ length: 10 }, (_, n) => [add(a, `a-${n}`), add(b, `b-${n}`)]).flat());
    expect(Object.keys((await b.load(h))!.files)).toHaveLength(20);
    expect((await a.list()).find((s) => s.hearing === h)).toMatchObject({ files: 20, bytes: 20 });
  });
});

describe('the archive on two hub nodes with its indexes in PostgreSQL', () => {
  it('a hearing claimed on one node is owned on the other, and listed by both', async () => {
    const pool = await migratedPool();
    const dir = mkdtempSync(join(tmpdir(), 'archive-pg-'));
    const node = () =>
      createArchive({
        dir,
        keyFile: join(dir, 'keys', 'hub.pem'),
        maxChunkBytes: 1 << 20,
        roomQuotaBytes: 1 << 30,
        logger: silentLogger(),
        hearings: { tookPart: () => true },
        registry: undefined,
        indexes: createPgIndexes(pool),
      });
    const [a, b] = [node(), node()];
    await a.start();
    await b.start();
    const id = 'hearing-ffffffffffffffffffff.room-a';
    expect(await a.claim(id, 'room-a')).toEqual({ ok: true });
    expect(await b.owner(id)).toBe('room-a');
    expect((await b.list()).map((h) => [h.hearing, h.room])).toEqual([[id, 'room-a']]);
    expect((await pool.query('SELECT room FROM archive_hearings WHERE hearing = $1', [id])).rows).toEqual([{ room: 'room-a' }]);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('archive listing lines across nodes', () => {
  it("a save on another node (its index version moved) makes this node recompute that hearing's line only", async () => {
    const pool = await migratedPool();
    const [a, b] = [createIndexListing<string>(createPgIndexes(pool), undefined, { format: 't' }), createPgIndexes(pool)];
    for (const c of 'xyz') await b.save(b.fresh(`hearing-${c.repeat(20)}`, 'room-a'));
    const computed: string[] = [];
    const line = async (h: string) => (computed.push(h), { entry: h, keyRoom: '', registry: registryStamp(undefined, '') });
    await a.list(line);
    await a.list(line);
    expect(computed).toHaveLength(3);
    const y = (await b.load(`hearing-${'y'.repeat(20)}`))!;
    await b.save(y); // same files and bytes: only the version tells
    await a.list(line);
    expect(computed.slice(3)).toEqual([y.hearing]);
  });
});
