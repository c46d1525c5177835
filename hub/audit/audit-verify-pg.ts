import { silentLogger } from '../../common/log.js';
import { checkConnection, createPgPool, redactPgUrl } from '../../common/storage/pg/pool.js';
import { verifyChain } from './audit-chain.js';

// `reception hub audit verify --store URL`: the chain of the audit log kept in PostgreSQL (audit-log-pg.ts).
// The current segment decides (exit 0 intact, 1 broken); earlier segments — each ended by a break found at
// a start — are listed, as the file backend lists its broken files kept aside.

export async function verifyPgAudit(url: string, json: boolean): Promise<number> {
  const pool = createPgPool(url, silentLogger(), { max: 1 });
  try {
    await checkConnection(pool, url);
    const rows = (await pool.query<{ segment: number; line: string }>('SELECT segment, line FROM audit_log ORDER BY segment, seq')).rows;
    const segments = [...new Set(rows.map((r) => r.segment))];
    const current = segments.at(-1) ?? 1;
    const textOf = (s: number) =>
      rows
        .filter((r) => r.segment === s)
        .map((r) => `${r.line}\n`)
        .join('');
    const check = verifyChain(textOf(current));
    const where = `${redactPgUrl(url)} audit_log segment ${current}`;
    if (json)
      process.stdout.write(
        `${JSON.stringify({ store: redactPgUrl(url), segment: current, ...check, earlierSegments: segments.slice(0, -1) })}\n`,
      );
    else if (check.ok) process.stdout.write(`NGUYÊN VẸN / INTACT: ${where}: ${check.count} entries, last seq ${check.lastSeq}\n`);
    else
      process.stdout.write(
        `BỊ PHÁ VỠ / BROKEN: ${where} at its entry ${check.line} (in seq order): ${check.reason} (${check.count} entries intact before it)\n`,
      );
    if (!json)
      for (const s of segments.slice(0, -1))
        process.stdout.write(`note: an earlier segment ended broken and was kept: audit_log segment ${s}\n`);
    return check.ok ? 0 : 1;
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 1;
  } finally {
    await pool.end();
  }
}
