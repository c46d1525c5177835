import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../common/log.js';
import { describeAuditLogContract } from './audit-log-contract.js';
import { AUDIT_FILE, openAuditLog } from './audit-log.js';

// The contract against the file backend (<stateDir>/audit.jsonl): the embedded default.

describeAuditLogContract('files', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'audit-contract-'));
  const file = join(dir, AUDIT_FILE);
  return {
    open: () => openAuditLog({ file, logger: silentLogger() }),
    async dropSecond() {
      const lines = readFileSync(file, 'utf8').split('\n');
      writeFileSync(file, [lines[0], ...lines.slice(2)].join('\n'));
    },
    remove: async () => rmSync(dir, { recursive: true, force: true }),
  };
});
