import { Readable } from 'node:stream';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateApplianceKey, publicKeyPemFromRaw, sha256Hex } from '../../../common/evidence/index.js';
import { silentLogger } from '../../../common/log.js';
import { openRegistry } from '../../enrollment/registry.js';
import { createArchive } from '../create-archive.js';
import type { IndexBackend } from '../hearing-index-contract.js';
import type { Indexes } from '../hearing-index.js';
import { FakeHearing } from './fake-hearing.js';

// The archive's listing lines kept with the index (hearing-index-listing.ts), against every backend: a hub
// restarted on the same indexes lists without verifying again; a changed index or a change of the room's keys
// in the registry (seen by another node, which reads the registry anew) recomputes; a tampered hearing stays
// failed through all of it. "Verified" here is counted as the index loads the listing asks for (one per line).

const ROOM = 'room-a';

export function describeListingLinesContract(name: string, backend: () => Promise<IndexBackend>) {
  describe(`archive listing lines kept with the index: ${name}`, () => {
    const tmp = mkdtempSync(join(tmpdir(), 'listing-lines-'));
    let b: IndexBackend | undefined;
    afterAll(async () => {
      await b?.remove();
      rmSync(tmp, { recursive: true, force: true });
    });

    it('survives a restart without verifying; an index or registry change recomputes; tampering stays failed', async () => {
      b = await backend();
      const registryFile = join(tmp, 'registry.json');
      const registry = await openRegistry({ file: registryFile, logger: silentLogger() });
      const key = generateApplianceKey();
      await registry.enroll({ room: ROOM, name: ROOM, publicKeyPem: publicKeyPemFromRaw(key.publicKeyRaw), by: 'test' });
      /** A hub (re)started on the backend: its own indexes, archive and registry read from the file. */
      const node = async (reg?: Awaited<ReturnType<typeof openRegistry>>) => {
        const indexes = await b!.open();
        const loads: string[] = [];
        const counted: Indexes = { ...indexes, load: (h) => (loads.push(h), indexes.load(h)) };
        const archive = createArchive({
          dir: b!.dir,
          keyFile: join(tmp, 'keys', 'hub.pem'),
          maxChunkBytes: 1 << 20,
          roomQuotaBytes: 1 << 30,
          logger: silentLogger(),
          hearings: { tookPart: () => true },
          registry: reg ?? (await openRegistry({ file: registryFile, logger: silentLogger() })),
          indexes: counted,
        });
        await archive.start();
        const states = async () => {
          loads.length = 0;
          return Object.fromEntries((await archive.list()).map((l) => [l.hearing, l.state]));
        };
        return { archive, loads, states };
      };
      const a = await node(registry);
      const start = Date.now() + 1000; // after the key's enrollment
      const upload = async (id: string, tamper: boolean) => {
        const rec = await new FakeHearing(join(tmp, 'room'), id, ROOM, key, start).open();
        await rec.segment(2000, 600_000); // 10 min: the revocation below falls inside the hearing whatever the load
        await rec.close();
        expect(await a.archive.claim(id, ROOM)).toEqual({ ok: true });
        const seg = rec.segments[0]!;
        const bytes = tamper ? Buffer.concat([seg.bytes.subarray(1), Buffer.from('x')]) : seg.bytes; // same size, other bytes
        const sent = await a.archive.patch(
          id,
          seg.file,
          { offset: 0, length: bytes.length, sha256: sha256Hex(bytes) },
          Readable.from([bytes]),
        );
        expect(sent.kind).toBe('done');
        expect((await a.archive.putManifest(id, ROOM, Buffer.from(rec.manifestText()))).kind).toBe('done');
      };
      const good = `hearing-${'g'.repeat(20)}.${ROOM}`;
      const bad = `hearing-${'t'.repeat(20)}.${ROOM}`;
      await upload(good, false);
      await upload(bad, true);

      expect(await a.states()).toEqual({ [good]: 'verified', [bad]: 'failed' });
      expect(a.loads.sort()).toEqual([good, bad].sort()); // the first listing verifies both
      const b1 = await node(); // restarted: new indexes object, new archive, registry read from the file
      expect(await b1.states()).toEqual({ [good]: 'verified', [bad]: 'failed' });
      expect(b1.loads).toEqual([]); // the kept lines served, nothing verified

      expect((await a.archive.putBook(good, Buffer.from('{"summary":"Sổ"}'))).kind).toBe('done'); // the index changes
      const b2 = await node();
      expect(await b2.states()).toEqual({ [good]: 'verified', [bad]: 'failed' });
      expect(b2.loads).toEqual([good]); // only the changed hearing

      const other = await openRegistry({ file: registryFile, logger: silentLogger() }); // another node revokes the key
      await other.revoke(ROOM, 'test', 'stolen box');
      const b3 = await node();
      expect(await b3.states()).toEqual({ [good]: 'failed', [bad]: 'failed' }); // the revocation predates the hearings
      expect(b3.loads.sort()).toEqual([good, bad].sort());
      expect(await b3.states()).toEqual({ [good]: 'failed', [bad]: 'failed' });
      expect(b3.loads).toEqual([]);

      // The first node never reread the file: its registry still holds the key, and it answers by that registry —
      // the line kept under the revocation (another stamp) is not taken for its own; the book moved good's index.
      expect(await a.states()).toEqual({ [good]: 'verified', [bad]: 'failed' });
      expect(a.loads).toEqual([good]);
      const key2 = generateApplianceKey(); // the room enrolls again: its keys change once more
      await other.enroll({ room: ROOM, name: ROOM, publicKeyPem: publicKeyPemFromRaw(key2.publicKeyRaw), by: 'test' });
      const b4 = await node();
      expect(await b4.states()).toEqual({ [good]: 'failed', [bad]: 'failed' }); // still revoked at the hearing's time
      expect(b4.loads.sort()).toEqual([good, bad].sort());
    });
  });
}
