import { vi } from 'vitest';
import { runMigrateCommand } from '../migrate-command.js';

/** `reception hub migrate ARGV` in process, as a user runs it: its exit code and what it printed. */
export async function runMigrate(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
  try {
    return { code: await runMigrateCommand(argv), out: out.join(''), err: err.join('') };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}
