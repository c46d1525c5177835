import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';

// Every control action, allowed or refused, as one JSON line: who, what, when, result.
// Append-only JSONL: a crash can lose at most the line being written, never earlier ones.

export interface AuditEntry {
  at: string;
  actor: string;
  role: string;
  ip: string;
  action: string;
  target?: Record<string, unknown>;
  request?: unknown;
  status: number;
  result: 'ok' | 'refused' | 'failed';
  error?: string;
}

export interface AuditLog {
  record(entry: AuditEntry): Promise<void>;
  recent(limit: number): Promise<AuditEntry[]>;
  /** Resolves once every line asked for so far is written (on shutdown: none lost). */
  flush(): Promise<void>;
}

export function createAuditLog(file: string): AuditLog {
  let ready: Promise<unknown> | undefined;
  let chain: Promise<void> = Promise.resolve();
  return {
    record(entry) {
      ready ??= mkdir(dirname(file), { recursive: true });
      // Serialize appends so lines never interleave.
      chain = chain.then(async () => {
        await ready;
        await appendFile(file, JSON.stringify(entry) + '\n', { mode: 0o600 });
      });
      return chain;
    },
    flush: () => chain.catch(() => undefined),
    async recent(limit) {
      await chain;
      const text = await readFile(file, 'utf8').catch(() => '');
      return text
        .split('\n')
        .filter(Boolean)
        .slice(-limit)
        .map((l) => JSON.parse(l) as AuditEntry)
        .reverse();
    },
  };
}
