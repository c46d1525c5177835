import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CLI } from '../helpers/room-processes.js';

const exec = promisify(execFile);
const reception = (...args: string[]) =>
  exec(process.execPath, [CLI, ...args], { timeout: 15_000 }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

describe('reception CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cli-'));

  it('config check names the bad field and exits non-zero; a good file passes', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ audio: { driver: 'tesira', baudRate: 'fast' } }));
    const r = await reception('config', 'check', bad);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('/audio/baudRate');
    const good = join(dir, 'good.json');
    expect((await reception('config', 'init', good)).code).toBe(0);
    const ok = await reception('config', 'check', good);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('OK');
  });

  it('the daemon refuses a bad config with EX_CONFIG and the field path', async () => {
    const bad = join(dir, 'daemon-bad.json');
    writeFileSync(bad, JSON.stringify({ cameras: [{ id: 'Cam 1' }] }));
    const r = await reception('daemon', '--config', bad);
    expect(r.code).toBe(78);
    expect(r.stderr).toContain('/cameras/0/id');
  });

  it('token add stores only the hash and prints the token once', async () => {
    const file = join(dir, 'tokens.json');
    await reception('config', 'init', file);
    const r = await reception('token', 'add', 'Nguyễn Văn A', 'officer', '--config', file);
    expect(r.code).toBe(0);
    const token = r.stdout.trim();
    expect(token.length).toBeGreaterThan(20);
    const stored = readFileSync(file, 'utf8');
    expect(stored).not.toContain(token);
    expect(JSON.parse(stored).access.tokens[0]).toMatchObject({ name: 'Nguyễn Văn A', role: 'officer' });
  });

  it('package.json bin and the demo script point at the built CLI', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
    expect(pkg.bin.reception).toBe('dist/provisioning/reception.js');
    expect(CLI.endsWith(pkg.bin.reception)).toBe(true);
    expect(pkg.scripts.demo).toContain(pkg.bin.reception);
  });

  it('unknown commands print usage', async () => {
    const r = await reception('frobnicate');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Usage: reception');
  });
});
