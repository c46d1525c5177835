import { createReadStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateApplianceKey } from '../../common/evidence/keys.js';
import { silentLogger } from '../../common/log.js';
import { useMigratedDatabase } from '../../tests/helpers/postgres.js';
import { until } from '../../tests/helpers/until.js';
import { buildRelease } from '../../provisioning/release/build-release.js';
import { createReleaseLibrary } from './release-library.js';
import { openRollout } from './rollout.js';
import type { RolloutTargets } from './rollout-targets.js';
import { openPgRolloutTargets } from './rollout-targets-pg.js';
import { describeRolloutTargetsContract } from './test/rollout-targets-suite.js';

// The rollout targets on a real PostgreSQL: the contract, then two hub nodes — a target set at one is
// offered to a room reporting to the other (one releases directory, as on shared storage).

const db = useMigratedDatabase();
const opened: RolloutTargets[] = [];
const dir = mkdtempSync(join(tmpdir(), 'rollout-pg-'));
afterAll(async () => {
  for (const t of opened) await t.close().catch(() => {});
  rmSync(dir, { recursive: true, force: true });
});
const open = async () => {
  const t = await openPgRolloutTargets({ pool: db.pool, url: db.url, logger: silentLogger() });
  opened.push(t);
  return t;
};

describeRolloutTargetsContract('postgres', async () => (await db.pool.query('TRUNCATE rollout_targets'), { open }));

describe('the rollout on two hub nodes (postgres)', () => {
  it('set at node A, offered at node B with the same attempt; cleared at B, no longer offered at A', async () => {
    await db.pool.query('TRUNCATE rollout_targets');
    const key = generateApplianceKey();
    const root = join(dir, 'root');
    mkdirSync(join(root, 'dist'), { recursive: true });
    writeFileSync(join(root, 'dist/main.js'), 'console.log("2.0.0")\n');
    writeFileSync(join(root, 'package.json'), JSON.stringify({ version: '2.0.0' }));
    writeFileSync(join(root, 'package-lock.json'), '{}');
    const built = await buildRelease({ root, outDir: join(dir, 'out'), privateKeyPem: key.privateKeyPem, withModules: false });
    const library = createReleaseLibrary({ dir: join(dir, 'releases'), trustedKeyRaw: key.publicKeyRaw });
    await library.add(JSON.parse(await readFile(built.releaseFile, 'utf8')));
    await library.putArchive('2.0.0', createReadStream(built.archive));

    const [a, b] = await Promise.all([0, 1].map(async () => openRollout({ targets: await open(), logger: silentLogger(), library })));
    await a!.set('2.0.0', ['room-x'], 'kỹ thuật', new Date('2026-03-01T08:00:00Z'));
    const offer = await until('node B to offer the target set at node A', 10_000, () => b!.offer('room-x', '1.0.0', null));
    expect(offer).toMatchObject({ version: '2.0.0', attempt: '2026-03-01T08:00:00.000Z', bytes: built.manifest.archive.bytes });
    expect(b!.view(['room-x'])[0]).toMatchObject({ state: 'offered', target: { by: 'kỹ thuật' } });
    await b!.clear(['room-x']);
    await until('node A to see the target cleared', 10_000, () => a!.offer('room-x', '1.0.0', null) === undefined);
    expect(a!.view(['room-x'])[0]!.state).toBe('no-target');
  });
});
