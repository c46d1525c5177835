import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CLI } from '../helpers/room-processes.js';

// Every `reception` subcommand answers --help and -h with its usage on stdout and exit 0 (`reception
// hub --help` and `verify --help` said "Unknown option '--help'"); an unknown option names itself and
// prints that usage, exit 2. The subcommands are read from the CLI's own list, so a new one is covered.

const exec = promisify(execFile);
const reception = (...args: string[]) =>
  exec(process.execPath, [CLI, ...args], { timeout: 15_000 }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

async function subcommands(): Promise<string[]> {
  const top = await reception('--help');
  expect(top.code).toBe(0);
  const list = top.stdout.split('Commands:\n')[1] ?? '';
  return list
    .split('\n')
    .map((l) => /^ {2}(\S+)\s/.exec(l)?.[1])
    .filter((n): n is string => !!n);
}

describe('reception <command> --help', () => {
  it('lists every command, and each prints its usage with exit 0 for --help and -h', async () => {
    const names = await subcommands();
    expect(names).toEqual(expect.arrayContaining(['daemon', 'gateway', 'hub', 'verify', 'kiosk-pin', 'install', 'demo', 'sim']));
    expect(names.length).toBeGreaterThanOrEqual(11);
    for (const name of names) {
      for (const flag of ['--help', '-h']) {
        const r = await reception(name, flag);
        expect({ name, flag, code: r.code, stderr: r.stderr }).toEqual({ name, flag, code: 0, stderr: '' });
        expect(r.stdout, `${name} ${flag}`).toMatch(new RegExp(`^Usage: reception ${name}\\b`));
        expect(r.stdout, `${name} ${flag}`).toMatch(/-h, --help/);
      }
    }
  }, 120_000);

  it('--help wins over other arguments (nothing runs, nothing is written)', async () => {
    const r = await reception('config', 'init', '/nonexistent-dir/config.json', '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: reception config/);
    const hub = await reception('hub', '--port', '1', '--help');
    expect(hub.code).toBe(0);
    expect(hub.stdout).toBe((await reception('hub', '-h')).stdout); // the usage only: no hub started
  });

  it("an unknown option names itself and prints the command's usage, exit 2", async () => {
    for (const name of ['hub', 'discover', 'demo']) {
      const r = await reception(name, '--frobnicate');
      expect(r.code, name).toBe(2);
      expect(r.stderr, name).toContain("Unknown option '--frobnicate'");
      expect(r.stderr, name).toContain(`Usage: reception ${name}`);
    }
  });
});
