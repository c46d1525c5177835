import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bareReport } from '../../common/contracts/test/samples.js';
import { silentLogger } from '../../common/log.js';
import { useMigratedDatabase } from '../../tests/helpers/postgres.js';
import { ACCOUNTS_FILE, writeAccounts } from '../accounts/account-file.js';
import { openPgAccountStore } from '../accounts/account-store-pg.js';
import { createFsArchiveStore } from '../archive/fs-archive-store.js';
import { createIndexes } from '../archive/hearing-index.js';
import { createPgIndexes } from '../archive/hearing-index-pg.js';
import { hashPassword } from '../accounts/password.js';
import { openPgAuditLog } from '../audit/audit-log-pg.js';
import { openCommissioningStore } from '../commissioning/commissioning-store.js';
import { openPgCommissioningStore } from '../commissioning/commissioning-store-pg.js';
import { sha256Hex } from '../config/auth.js';
import { buildHub } from '../create-hub.js';
import { createPgCodeStore } from '../enrollment/codes-pg.js';
import { openPgRegistry } from '../enrollment/registry-pg.js';
import { createFleetHistory } from '../fleet/fleet-history.js';
import { openHistoryFile } from '../fleet/fleet-history-file.js';
import { openPgFleetHistory } from '../fleet/fleet-history-pg.js';
import { openPgFleetStore } from '../fleet/fleet-store-pg.js';
import { bookEntry } from '../fleet/test/fleet-suite.js';
import { createPgOpsStore } from '../fleet-ops/ops-store-pg.js';
import { openPgHearings } from '../hearings/hearing-store-pg.js';
import { createHearingStore } from '../hearings/hearing-store.js';
import { enrollRooms, testHubDeps } from '../test/hub-fixture.js';
import { openFileRolloutTargets } from '../updates/rollout-targets.js';
import { openPgRolloutTargets } from '../updates/rollout-targets-pg.js';
import { runMigrate } from './test/run-migrate.js';

// `reception hub migrate --import-files`: a state dir made by a one-machine hub (its own file backends, driven
// through its API where it has one) is imported into a real, empty PostgreSQL and read back through the
// PostgreSQL backends; a second import is refused naming what is there.

const db = useMigratedDatabase();
const dir = mkdtempSync(join(tmpdir(), 'hub-import-'));
const stateDir = join(dir, 'state');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const TECH = 'tech-import-token';

const run = runMigrate;

describe('reception hub migrate --import-files (postgres)', () => {
  it('imports every aggregate of a one-machine hub in one go; the PostgreSQL backends read it back; a second import is refused', async () => {
    // 1. A one-machine hub at work: enrolled rooms, an unused code, a hearing, a book entry, a report, an operation.
    const roles = ['technician' as const, 'officer' as const, 'supervisor' as const];
    const h = await buildHub(testHubDeps({ stateDir, tokens: [{ name: 'kỹ thuật', sha256: sha256Hex(TECH), roles }] }));
    const [roomToken] = await enrollRooms(h.enrollment, 2);
    const call = (method: 'POST' | 'PUT', url: string, payload: object, token = TECH) =>
      h.app.inject({ method, url: `/api/v1${url}`, headers: { authorization: `Bearer ${token}` }, payload });
    expect((await call('POST', '/enrollment/codes', { room: 'room-9', name: 'Phòng 9' })).statusCode).toBe(201);
    const hearing = (await call('POST', '/hearings', { title: 'Phiên nhập dữ liệu', rooms: ['room-demo'] })).json().id as string;
    expect((await call('PUT', `/hearings/${hearing}/rooms/room-demo/book`, bookEntry)).statusCode).toBe(202);
    expect((await call('POST', '/fleet/rooms/room-demo/ops', { kind: 'restart' })).statusCode).toBeLessThan(300);
    expect((await call('POST', '/fleet/rooms/room-demo/report', bareReport(), roomToken)).statusCode).toBe(200);
    await h.app.close(); // saves the history
    // Aggregates without an API at hand here, through their file backends.
    await writeAccounts(join(stateDir, ACCOUNTS_FILE), {
      version: 1,
      accounts: [
        {
          name: 'lan',
          roles: ['officer'],
          password: await hashPassword('mật-khẩu-dài-đủ-12'),
          createdAt: new Date().toISOString(),
          passwordChangedAt: new Date().toISOString(),
        },
      ],
    });
    const comm = await openCommissioningStore({ stateDir, logger: silentLogger() });
    await comm.save('room-demo', { state: 'commissioned', at: '2026-03-01T08:00:00Z', checks: [], html: '<p>Nghiệm thu đạt / passed</p>' });
    await comm.addSelfTest('room-demo', 'selftest-room-demo-1');
    const rollout = await openFileRolloutTargets({ file: join(stateDir, 'rollout.json'), logger: silentLogger() });
    await rollout.set({ version: '2.0.0', setAt: '2026-03-01T09:00:00.000Z', by: 'kỹ thuật' }, ['room-demo']);
    // The archive's index of one received file, as the filesystem archive keeps it beside the recordings.
    const fsIndexes = createIndexes(createFsArchiveStore(join(stateDir, 'archive')));
    const idx = fsIndexes.fresh(hearing, 'room-demo');
    idx.files['seg-00001.ts'] = { sha256: 'ab'.repeat(32), bytes: 1880, receivedAt: new Date().toISOString(), receipt: {} as never };
    await fsIndexes.save(idx);
    const auditLines = readFileSync(join(stateDir, 'audit.jsonl'), 'utf8').trim().split('\n');
    const fileHistory = createFleetHistory({
      initial: (await openHistoryFile(join(stateDir, 'fleet-history.json'), silentLogger())).initial,
    });

    // 2. The import.
    const first = await run(['--store', db.url, '--import-files', stateDir]);
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/ĐÃ NHẬP \/ IMPORTED .*state:\n {2}phiên tiếp \/ hearings: 1\n/);
    const counts = JSON.parse(first.out.split('\n')[0]!).imported;
    expect(counts).toEqual({
      hearings: 1,
      bookOutbox: 1,
      fleetOps: 1,
      audit: auditLines.length,
      registry: 2,
      codes: 3,
      accounts: 1,
      commissioning: 2,
      rollout: 1,
      history: 1,
      archive: 1,
    });

    // 3. Read back through the PostgreSQL backends.
    const { pool, url } = db;
    const logger = silentLogger();
    const view = createHearingStore({ roomIds: () => ['room-demo', 'room-2'], writesElsewhere: 'PostgreSQL' });
    const hearings = await openPgHearings({ pool, url, logger, store: view, roomIds: () => ['room-demo', 'room-2'] });
    expect(view.get(hearing)).toMatchObject({ title: 'Phiên nhập dữ liệu', state: 'active', rooms: ['room-demo'] });
    const audit = await openPgAuditLog({ pool, logger });
    expect(audit.broken).toBeUndefined(); // the chain verifies in PostgreSQL as it did in the file
    expect((await audit.entries({ limit: 1000 })).map((e) => JSON.stringify(e))).toEqual(auditLines);
    const registry = await openPgRegistry({ pool, url, logger });
    expect(registry.roomByToken(roomToken!)?.room.id).toBe('room-demo'); // the room's token works against the imported registry
    expect((await createPgCodeStore({ pool }).pending()).map((c) => c.room)).toEqual(['room-9']);
    const accounts = await openPgAccountStore({ pool, url, logger });
    expect((await accounts.list()).map((a) => a.name)).toEqual(['lan']);
    expect((await createPgOpsStore({ pool, now: Date.now }).list('room-demo')).map((o) => o.kind)).toEqual(['restart']);
    const fleet = await openPgFleetStore({ pool, url, logger });
    expect(await fleet.getBook(hearing, 'room-demo')).toMatchObject({ state: 'pending', version: 1 });
    const commissioning = await openPgCommissioningStore({ pool, url, logger });
    expect(commissioning.list()).toMatchObject([{ room: 'room-demo', state: 'commissioned' }]);
    expect(commissioning.tookPart('selftest-room-demo-1', 'room-demo')).toBe(true);
    const targets = await openPgRolloutTargets({ pool, url, logger });
    expect(targets.get('room-demo')).toEqual({ version: '2.0.0', setAt: '2026-03-01T09:00:00.000Z', by: 'kỹ thuật' });
    const history = await openPgFleetHistory({ pool, logger });
    expect((await history.series('room-demo', 24)).points).toEqual(fileHistory.series('room-demo', 24).points);
    expect(fileHistory.series('room-demo', 24).points).toHaveLength(1);
    expect(await createPgIndexes(pool).load(hearing)).toEqual(idx); // the archive finds its hearing in PostgreSQL
    expect((await createPgIndexes(pool).list()).map((x) => [x.hearing, x.files, x.bytes])).toEqual([[hearing, 1, 1880]]);
    await Promise.all([
      hearings.close(),
      registry.close(),
      accounts.close(),
      fleet.close(),
      commissioning.close(),
      targets.close(),
      audit.close(),
    ]);

    // 4. Not twice: the store is not empty any more.
    const second = await run(['--store', db.url, '--import-files', stateDir]);
    expect(second.code).toBe(1);
    expect(second.err).toMatch(
      /^cơ sở dữ liệu đã có dữ liệu, không nhập \/ the store is not empty, nothing imported: hearings: 1, .*accounts: 1/,
    );
  });

  it('a state file that is not JSON stops the import naming it, before the database is touched', async () => {
    const bad = join(dir, 'bad');
    mkdirSync(bad);
    writeFileSync(join(bad, 'hearings.json'), '{"version": 1, "hearings": [');
    const r = await run(['--store', db.url, '--import-files', bad]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^tệp .*hearings\.json không phải JSON \/ .*hearings\.json is not JSON/);
    expect(readFileSync(join(bad, 'hearings.json'), 'utf8')).toBe('{"version": 1, "hearings": ['); // left as it was
  });
});
