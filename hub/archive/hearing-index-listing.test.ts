import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFsArchiveStore } from './fs-archive-store.js';
import { createIndexListing } from './hearing-index-listing.js';
import { createIndexes } from './hearing-index.js';

// The listing recomputes a hearing's line only when its index or the registry changed.

const setup = async (n: number) => {
  const registry = { events: new EventEmitter() };
  const listing = createIndexListing<string>(createIndexes(createFsArchiveStore(mkdtempSync(join(tmpdir(), 'listing-')))), registry);
  const ids = Array.from({ length: n }, (_, i) => `hearing-${'abcdefghij'[i]!.repeat(20)}`);
  for (const id of ids) await listing.indexes.save(listing.indexes.fresh(id, 'room-a'));
  const computed: string[] = [];
  const line = async (h: string) => (computed.push(h), `line of ${h}`);
  return { registry, listing, ids, computed, line };
};

describe('archive listing lines', () => {
  it('computes each line once, again only for a hearing saved since, and all after a registry change', async () => {
    const { registry, listing, ids, computed, line } = await setup(4);
    expect(await listing.list(line)).toHaveLength(4);
    expect(computed).toHaveLength(4);
    await listing.list(line);
    expect(computed).toHaveLength(4); // nothing changed: nothing recomputed
    const i = (await listing.indexes.load(ids[1]!))!;
    i.files['seg-00001.ts'] = { sha256: '00'.repeat(32), bytes: 5, receivedAt: i.createdAt, receipt: {} as never };
    await listing.indexes.save(i);
    await listing.list(line);
    expect(computed.slice(4)).toEqual([ids[1]]);
    registry.events.emit('changed'); // a key enrolled or revoked: verification may differ
    await listing.list(line);
    expect(computed).toHaveLength(9);
  });

  it('a line computed while its hearing was saved is not kept', async () => {
    const { listing, ids, computed } = await setup(1);
    const slow = async (h: string) => {
      computed.push(h);
      await listing.indexes.save((await listing.indexes.load(h))!); // an upload landing meanwhile
      return 'old line';
    };
    await listing.list(slow);
    await listing.list(async (h) => (computed.push(h), 'new line'));
    expect(computed).toEqual([ids[0], ids[0]]);
  });
});
