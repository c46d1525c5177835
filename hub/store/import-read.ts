import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { Logger } from '../../common/log.js';
import { ACCOUNTS_FILE, readAccounts } from '../accounts/account-file.js';
import { verifyChain } from '../audit/audit-chain.js';
import { AUDIT_FILE } from '../audit/audit-log.js';
import { CODES_FILE, CodesFile, type StoredCode } from '../enrollment/codes.js';
import { RegistryFile } from '../enrollment/registry.js';
import type { StoredRoom } from '../enrollment/registry-reads.js';
import { openBookOutbox } from '../fleet/book-outbox-file.js';
import { openHistoryFile } from '../fleet/fleet-history-file.js';
import { openOpsFile } from '../fleet-ops/ops-file.js';
import { openHearingFile } from '../hearings/hearing-file.js';
import { openFileRolloutTargets } from '../updates/rollout-targets.js';
import { type ArchiveSource, readArchiveIndexes } from './import-archive.js';

// Reads a one-machine hub's state dir for `reception hub migrate --import-files`, through the file backends'
// own readers where they exist (the formats are theirs). Nothing is changed in the dir: a file that is not
// JSON, or not what its backend writes, stops the import naming it — before the file readers could move it aside.

export class ImportError extends Error {}

const Commissioning = Type.Object({
  rooms: Type.Record(
    Type.String(),
    Type.Object({
      state: Type.String(),
      at: Type.String(),
      receivedAt: Type.String(),
      checksPassed: Type.Integer(),
      checksFailed: Type.Integer(),
    }),
  ),
  selfTests: Type.Array(Type.Object({ room: Type.String(), hearing: Type.String(), at: Type.String() })),
});

/** A JSON file's content, or undefined when absent; not JSON → ImportError naming it. */
function json(file: string): unknown {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ImportError(`tệp ${file} không phải JSON / ${file} is not JSON: ${(err as Error).message}`);
  }
}
function checked<T>(file: string, schema: Parameters<typeof Value.Check>[0], data: unknown): T {
  if (!Value.Check(schema, data)) {
    const e = [...Value.Errors(schema, data)][0];
    throw new ImportError(`tệp ${file} không đúng định dạng / ${file} is not in its format: ${e?.path || '/'} ${e?.message ?? ''}`);
  }
  return data as T;
}

/** `archive`: where the archive's per-hearing indexes are read (default the filesystem archive <stateDir>/archive). */
export async function readStateDir(dir: string, logger: Logger, archive: ArchiveSource = { dir: join(dir, 'archive') }) {
  if (!existsSync(dir)) throw new ImportError(`không có thư mục ${dir} / no such state directory: ${dir}`);
  const p = (f: string) => join(dir, f);
  // Parse every JSON file first: a corrupt one stops the import before a file reader would move it aside.
  for (const f of ['hearings.json', 'book-outbox.json', 'fleet-ops.json', 'rollout.json', 'fleet-history.json']) json(p(f));
  const registry = json(p('registry.json'));
  const codes = json(p(CODES_FILE));
  const commissioning = json(p('commissioning/index.json'));

  const auditText = existsSync(p(AUDIT_FILE)) ? readFileSync(p(AUDIT_FILE), 'utf8') : '';
  const chain = verifyChain(auditText);
  if (!chain.ok)
    throw new ImportError(
      `chuỗi băm nhật ký kiểm toán ${p(AUDIT_FILE)} bị đứt ở dòng ${chain.line} / the audit log's hash chain is broken at line ${chain.line} (${chain.reason}): not imported`,
    );
  const ops = await openOpsFile(dir, logger);
  const c = commissioning
    ? checked<{
        rooms: Record<string, { state: string; at: string; receivedAt: string; checksPassed: number; checksFailed: number }>;
        selfTests: { room: string; hearing: string; at: string }[];
      }>(p('commissioning/index.json'), Commissioning, commissioning)
    : { rooms: {}, selfTests: [] };
  return {
    archive: await readArchiveIndexes(archive), // an unreachable bucket stops the import before the database is touched
    hearings: existsSync(p('hearings.json')) ? (await openHearingFile(p('hearings.json'), logger)).hearings : [],
    bookOutbox: existsSync(p('book-outbox.json')) ? (await openBookOutbox(p('book-outbox.json'), logger)).entries : [],
    fleetOps: await Promise.all(ops.ops.map(async (op) => ({ op, bundle: await ops.bundle(op.id) }))),
    auditLines: auditText.split('\n').filter((l) => l.trim()),
    registry: registry ? checked<{ rooms: StoredRoom[] }>(p('registry.json'), RegistryFile, registry).rooms : [],
    codes: codes ? checked<{ codes: StoredCode[] }>(p(CODES_FILE), CodesFile, codes).codes : [],
    accounts: readAccounts(p(ACCOUNTS_FILE)).accounts,
    commissioning: Object.entries(c.rooms).map(([room, e]) => ({
      room,
      ...e,
      html: existsSync(p(`commissioning/${room}.html`)) ? readFileSync(p(`commissioning/${room}.html`), 'utf8') : '',
    })),
    selfTests: c.selfTests,
    rollout: existsSync(p('rollout.json')) ? (await openFileRolloutTargets({ file: p('rollout.json'), logger })).all() : {},
    history: existsSync(p('fleet-history.json')) ? (await openHistoryFile(p('fleet-history.json'), logger)).initial : undefined,
  };
}
export type StateDirContent = Awaited<ReturnType<typeof readStateDir>>;
