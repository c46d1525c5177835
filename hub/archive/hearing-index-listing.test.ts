import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateApplianceKey, publicKeyPemFromRaw } from '../../common/evidence/index.js';
import { silentLogger } from '../../common/log.js';
import { openRegistry, type Registry } from '../enrollment/registry.js';
import { createFsArchiveStore } from './fs-archive-store.js';
import { createIndexListing, registryStamp } from './hearing-index-listing.js';
import { createIndexes } from './hearing-index.js';

// The listing recomputes a hearing's line only when its index or its room's keys in the registry changed.

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const setup = async (n: number) => {
  const registry = await openRegistry({ logger: silentLogger() });
  const dir = mkdtempSync(join(tmpdir(), 'listing-'));
  dirs.push(dir);
  const indexes = createIndexes(createFsArchiveStore(dir));
  const listing = createIndexListing<string>(indexes, registry, { format: 'test-1' });
  const ids = Array.from({ length: n }, (_, i) => `hearing-${'abcdefghij'[i]!.repeat(20)}`);
  for (const id of ids) await indexes.save(indexes.fresh(id, 'room-a'));
  const computed: string[] = [];
  const roomOf = (h: string) => (h === ids[0] ? 'room-b' : 'room-a'); // the room whose keys its verification asked about
  const line = async (h: string) => (
    computed.push(h), { entry: `line of ${h}`, keyRoom: roomOf(h), registry: registryStamp(registry, roomOf(h)) }
  );
  return { registry, indexes, listing, ids, computed, line };
};
const enroll = (r: Registry, room: string) =>
  r.enroll({ room, name: room, publicKeyPem: publicKeyPemFromRaw(generateApplianceKey().publicKeyRaw), by: 'test' });

describe('archive listing lines', () => {
  it("computes each line once, again only for a hearing saved since, or whose room's keys changed", async () => {
    const { registry, indexes, listing, ids, computed, line } = await setup(4);
    expect(await listing.list(line)).toHaveLength(4);
    expect(computed).toHaveLength(4);
    await listing.list(line);
    expect(computed).toHaveLength(4); // nothing changed: nothing recomputed
    const i = (await indexes.load(ids[1]!))!;
    i.files['seg-00001.ts'] = { sha256: '00'.repeat(32), bytes: 5, receivedAt: i.createdAt, receipt: {} as never };
    await indexes.save(i);
    await listing.list(line);
    expect(computed.slice(4)).toEqual([ids[1]]);
    await enroll(registry, 'room-b'); // a key enrolled: verification of room-b's hearings may differ
    await listing.list(line);
    expect(computed.slice(5)).toEqual([ids[0]]);
    await enroll(registry, 'room-a');
    await listing.list(line);
    expect(computed.slice(6).sort()).toEqual(ids.slice(1).sort());
  });

  it('a line computed while its hearing was saved is recomputed at the next listing', async () => {
    const { registry, indexes, listing, ids, computed } = await setup(1);
    const slow = async (h: string) => {
      computed.push(h);
      await indexes.save({ ...(await indexes.load(h))!, uploads: { 'x.ts': { length: 1, sha256: '', startedAt: '' } } }); // an upload landing meanwhile
      return { entry: 'old line', keyRoom: 'room-a', registry: registryStamp(registry, 'room-a') };
    };
    await listing.list(slow);
    expect(await listing.list(async (h) => (computed.push(h), { entry: 'new line', keyRoom: '', registry: '' }))).toEqual(['new line']);
    expect(computed).toEqual([ids[0], ids[0]]);
  });
});
