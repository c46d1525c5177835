import { describe, expect, it } from 'vitest';
import { bareReport } from '../../common/contracts/test/samples.js';
import type { ReportSummary } from '../../common/contracts/fleet.js';
import { silentLogger } from '../../common/log.js';
import { useMigratedDatabase } from '../../tests/helpers/postgres.js';
import { openPgFleetHistory } from './fleet-history-pg.js';
import { describeFleetHistoryContract } from './test/history-suite.js';

// The history contract on a real PostgreSQL, then two hub nodes taking one room's reports in the same
// minute at once: one point with every report counted, and both nodes draw the same chart.

const db = useMigratedDatabase();

describeFleetHistoryContract('postgres', async () => {
  await db.pool.query('TRUNCATE fleet_history_rooms CASCADE');
  return { open: (clock) => openPgFleetHistory({ pool: db.pool, logger: silentLogger(), now: clock }) };
});

describe('fleet history on two hub nodes (postgres)', () => {
  it('reports of one minute taken at both nodes at once fold into one point; both nodes answer the same series', async () => {
    await db.pool.query('TRUNCATE fleet_history_rooms CASCADE');
    const t = Date.parse('2026-03-04T09:00:30Z');
    const [a, b] = await Promise.all([0, 1].map(() => openPgFleetHistory({ pool: db.pool, logger: silentLogger(), now: () => t })));
    const report = (workerRestarts: number) =>
      ({ ...bareReport(), workerRestarts: { lastHour: workerRestarts, total: workerRestarts } }) as ReportSummary;
    for (let i = 0; i < 10; i++) a!.record('room-z', report(i)), b!.record('room-z', report(100 + i));
    await Promise.all([a!.flush(), b!.flush()]);
    const [sa, sb] = await Promise.all([a!.series('room-z', 1), b!.series('room-z', 1)]);
    expect(sa.points).toHaveLength(1);
    expect(sa.points[0]).toMatchObject({ n: 20, workerRestarts: 109 });
    expect(sb.points).toEqual(sa.points);
  });
});
