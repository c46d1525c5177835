import { existsSync } from 'node:fs';
import { chmod, mkdir, open, readFile, rename, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Logger } from '../../common/log.js';
import type { AuditEntryInput, AuditLog } from './audit-contract.js';
import { formatLine, GENESIS, hashLine, verifyChain, type AuditLine } from './audit-chain.js';

// The hub's audit log: `<stateDir>/audit.jsonl`, 0600, append-only, hash-chained (audit-chain.ts).
// Checked at start: a broken chain is logged loudly, counted (`broken`, the metric), the broken file kept
// as `audit.<time>.broken.jsonl`, and a new segment starts whose first entry names it. Without a file
// (tests without a stateDir) the chain lives in memory.

export const AUDIT_FILE = 'audit.jsonl';

export interface AuditBreak {
  file: string;
  line: number;
  reason: string;
  sha256: string;
}

export interface AuditQuery {
  limit?: number;
  afterSeq?: number;
  actor?: string;
  action?: string;
}

export interface HubAuditLog extends AuditLog {
  /** Entries, oldest first: the last `limit` (default 100) after `afterSeq`, matching actor/action. */
  entries(q?: AuditQuery): Promise<AuditLine[]>;
  /** The break found at start, if the chain was broken. */
  readonly broken: AuditBreak | undefined;
  /** Resolves when every append so far is written. */
  flushed(): Promise<void>;
  close(): Promise<void>;
}

export async function openAuditLog(opts: { file?: string; logger: Logger; now?: () => Date }): Promise<HubAuditLog> {
  const now = opts.now ?? (() => new Date());
  const memory: string[] = [];
  let prev = GENESIS;
  let seq = 0;
  let broken: AuditBreak | undefined;
  let handle: FileHandle | undefined;
  const file = opts.file;
  if (file) {
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    if (existsSync(file)) {
      const text = await readFile(file, 'utf8');
      const check = verifyChain(text);
      if (check.ok) [prev, seq] = [check.lastHash, check.lastSeq];
      else {
        const kept = join(dirname(file), `audit.${now().toISOString().replace(/[:.]/g, '-')}.broken.jsonl`);
        await rename(file, kept);
        broken = { file: kept, line: check.line, reason: check.reason, sha256: hashLine(text) };
        opts.logger.error(
          { auditFile: file, kept, line: check.line, reason: check.reason },
          'AUDIT LOG TAMPERED OR DAMAGED: its hash chain is broken; the file is kept aside and a new segment starts',
        );
      }
    }
    handle = await open(file, 'a', 0o600);
    await chmod(file, 0o600); // an older file, or a umask that widened it
  }

  let queue: Promise<void> = Promise.resolve();
  const write = (entry: AuditEntryInput): Promise<void> => {
    const next = queue.then(async () => {
      const line = formatLine(entry, seq + 1, prev, now());
      if (handle) {
        await handle.write(`${line}\n`);
        await handle.datasync();
      } else memory.push(line);
      [prev, seq] = [hashLine(line), seq + 1];
    });
    queue = next.catch((err: Error) => opts.logger.error({ err }, 'AUDIT ENTRY NOT WRITTEN'));
    return next;
  };
  if (broken)
    await write({
      actor: 'hub',
      action: 'audit.segment',
      outcome: 'ok',
      reason: `previous segment broken at line ${broken.line} (${broken.reason}); kept as ${broken.file}, sha256 ${broken.sha256}`,
    });

  return {
    append: write,
    get broken() {
      return broken;
    },
    async entries(q = {}) {
      await queue;
      const lines = handle && file ? (await readFile(file, 'utf8')).split('\n').filter(Boolean) : memory;
      const all = lines.map((l) => JSON.parse(l) as AuditLine);
      const match = all.filter(
        (e) =>
          e.seq > (q.afterSeq ?? 0) && (q.actor === undefined || e.actor === q.actor) && (q.action === undefined || e.action === q.action),
      );
      return match.slice(-(q.limit ?? 100));
    },
    flushed: () => queue,
    async close() {
      await queue;
      await handle?.close();
      handle = undefined;
    },
  };
}
