import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../common/log.js';
import { runTokenCommand } from '../auth/token-command.js';
import { loadHubConfig } from '../config/load-config.js';
import { runAuditCommand } from './audit-command.js';
import { AUDIT_FILE, openAuditLog } from './audit-log.js';

// `reception hub audit verify` and `reception hub token …`, in-process, their output captured.

const captured = () => {
  const out: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => (out.push(String(s)), true));
  return out;
};
afterEach(() => vi.restoreAllMocks());

describe('reception hub audit verify', () => {
  it('exit 0 on an intact log; exit 1 naming the line after a line was removed; exit 1 without a log', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'audit-cli-'));
    const log = await openAuditLog({ file: join(dir, AUDIT_FILE), logger: silentLogger() });
    for (const action of ['signin', 'hearing.create', 'book.read']) await log.append({ actor: 'lan', action, outcome: 'ok' });
    await log.close();
    let out = captured();
    expect(await runAuditCommand(['verify', '--state-dir', dir])).toBe(0);
    expect(out.join('')).toContain('INTACT');
    expect(out.join('')).toContain('3 entries');
    const lines = readFileSync(join(dir, AUDIT_FILE), 'utf8').split('\n');
    writeFileSync(join(dir, AUDIT_FILE), [lines[0], lines[2], ''].join('\n')); // the hearing.create line removed
    vi.restoreAllMocks();
    out = captured();
    expect(await runAuditCommand(['verify', '--state-dir', dir])).toBe(1);
    expect(out.join('')).toMatch(/BROKEN.*at line 2/);
    expect(await runAuditCommand(['verify', '--state-dir', mkdtempSync(join(tmpdir(), 'audit-none-'))])).toBe(1);
  });
});

describe('reception hub token', () => {
  it('add prints a token once and stores only its SHA-256 with the roles (0600); the hub config loads; remove takes it out', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'token-cli-')), 'hub.json');
    writeFileSync(file, JSON.stringify({ port: 8090 }));
    const out = captured();
    expect(await runTokenCommand(['add', 'prometheus', '--role', 'metrics', '--config', file])).toBe(0);
    const token = out[0]!.trim();
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(readFileSync(file, 'utf8')).not.toContain(token);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const config = await loadHubConfig(file);
    expect(config.tokens).toEqual([{ name: 'prometheus', sha256: expect.stringMatching(/^[0-9a-f]{64}$/), roles: ['metrics'] }]);
    expect(config.port).toBe(8090);
    expect(await runTokenCommand(['add', 'x', '--role', 'admin', '--config', file])).toBe(2);
    expect(await runTokenCommand(['remove', 'prometheus', '--config', file])).toBe(0);
    expect((await loadHubConfig(file)).tokens).toEqual([]);
  });

  it('a config still naming `officers` is refused with the way to `tokens`', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'token-old-')), 'hub.json');
    writeFileSync(file, JSON.stringify({ officers: [{ name: 'a', sha256: '0'.repeat(64) }] }));
    await expect(loadHubConfig(file)).rejects.toThrow(/officers.*replaced by `tokens`/s);
  });
});
