import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadHubConfig } from '../config/load-config.js';
import { verifyChain } from './audit-chain.js';
import { AUDIT_FILE } from './audit-log.js';

export const usage = `Usage: reception hub audit verify [--config FILE | --state-dir DIR | --store postgres://…] [--json]

Kiểm tra chuỗi băm của nhật ký kiểm toán (<stateDir>/audit.jsonl): một dòng bị xóa, sửa hay đổi chỗ sẽ lộ ra.
Check the hash chain of the hub's audit log (<stateDir>/audit.jsonl): a removed, edited or reordered line shows.
Segments set aside at a start that found the chain broken (audit.<time>.broken.jsonl) are listed.
With a PostgreSQL store (--store, or the config's \`store\`) the log in its audit_log table is checked instead.

Exit 0: intact. Exit 1: broken (the line and why) or no audit log.
`;

export async function runAuditCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      config: { type: 'string', short: 'c' },
      'state-dir': { type: 'string' },
      json: { type: 'boolean' },
      store: { type: 'string' },
    },
  });
  if (positionals[0] !== 'verify' || positionals.length > 1) {
    process.stderr.write(usage);
    return 2;
  }
  const config = values['state-dir'] || values.store ? undefined : await loadHubConfig(values.config);
  const store = values.store ?? config?.store;
  if (store) return (await import('./audit-verify-pg.js')).verifyPgAudit(store, !!values.json); // the hub's log in PostgreSQL
  const stateDir = values['state-dir'] ?? config!.stateDir;
  const file = join(stateDir, AUDIT_FILE);
  const aside = existsSync(stateDir) ? readdirSync(stateDir).filter((f) => /^audit\..+\.broken\.jsonl$/.test(f)) : [];
  if (!existsSync(file)) {
    process.stderr.write(`không có nhật ký kiểm toán / no audit log at ${file}\n`);
    return 1;
  }
  const check = verifyChain(readFileSync(file, 'utf8'));
  if (values.json) process.stdout.write(`${JSON.stringify({ file, ...check, brokenSegments: aside })}\n`);
  else if (check.ok) process.stdout.write(`NGUYÊN VẸN / INTACT: ${file}: ${check.count} entries, last seq ${check.lastSeq}\n`);
  else
    process.stdout.write(`BỊ PHÁ VỠ / BROKEN: ${file} at line ${check.line}: ${check.reason} (${check.count} entries intact before it)\n`);
  for (const f of aside) if (!values.json) process.stdout.write(`note: an earlier broken segment was kept aside: ${join(stateDir, f)}\n`);
  return check.ok ? 0 : 1;
}
