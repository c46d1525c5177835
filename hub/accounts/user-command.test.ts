import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ACCOUNTS_FILE, readAccounts, watchAccounts } from './account-file.js';
import { verifyPassword } from './password.js';
import { promptPassword } from './read-password.js';
import { runUserCommand } from './user-command.js';

function dir() {
  const d = mkdtempSync(join(tmpdir(), 'users-'));
  const pw = (name: string, text: string) => {
    const f = join(d, name);
    writeFileSync(f, `${text}\n`);
    return f;
  };
  return { d, pw, file: join(d, 'state', ACCOUNTS_FILE) };
}

async function run(args: string[]) {
  let out = '';
  const code = await runUserCommand(args, (s) => (out += s));
  return { code, out };
}

// The CLI hashes at the real scrypt cost (128 MiB, seconds on a loaded 2-core box): a generous budget.
describe('reception hub user', { timeout: 90_000 }, () => {
  it('add writes accounts.json 0600 with a salted scrypt hash, never the password', async () => {
    const { d, pw, file } = dir();
    const state = ['--state-dir', join(d, 'state')];
    const a = await run(['add', 'Lan', '--role', 'officer,supervisor', '--password-file', pw('p1', 'mat-khau-dai-2026'), ...state]);
    expect(a).toMatchObject({ code: 0 });
    expect(a.out).toContain('lan (officer, supervisor)');
    await run(['add', 'minh', '--role', 'archivist', '--password-file', pw('p2', 'mat-khau-dai-2026'), ...state]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const doc = readAccounts(file);
    expect(doc.accounts.map((x) => x.name)).toEqual(['lan', 'minh']);
    expect(doc.accounts[0]!.password.salt).not.toBe(doc.accounts[1]!.password.salt);
    expect(doc.accounts[0]!.password.hash).not.toBe(doc.accounts[1]!.password.hash); // same password, other salt
    expect(JSON.stringify(doc)).not.toContain('mat-khau-dai-2026');
    expect(doc.accounts[0]!.password).toMatchObject({ algo: 'scrypt', N: 2 ** 17, r: 8, p: 1 }); // OWASP's scrypt cost
    expect(await verifyPassword('mat-khau-dai-2026', doc.accounts[0]!.password)).toBe(true);
    expect(await verifyPassword('mat-khau-dai-2027', doc.accounts[0]!.password)).toBe(false);
    expect((await run(['list', ...state])).out).toMatch(/^lan\tofficer,supervisor\tpassword\t.*\nminh\tarchivist\tpassword\t/);
  });

  it('--totp prints the otpauth URI; passwd changes the hash; remove deletes', async () => {
    const { d, pw, file } = dir();
    const state = ['--state-dir', join(d, 'state')];
    const a = await run(['add', 'lan', '--role', 'officer', '--totp', '--password-file', pw('p', 'mat-khau-dai-2026'), ...state]);
    const secret = readAccounts(file).accounts[0]!.totpSecret!;
    expect(a.out).toContain(`otpauth://totp/Ti%E1%BA%BFp%20c%C3%B4ng%20d%C3%A2n:lan?secret=${secret}`);
    const before = readAccounts(file).accounts[0]!;
    expect((await run(['passwd', 'lan', '--password-file', pw('q', 'mat-khau-moi-2027'), ...state])).code).toBe(0);
    const after = readAccounts(file).accounts[0]!;
    expect(after.password.hash).not.toBe(before.password.hash);
    expect(after.totpSecret).toBe(secret);
    expect(Date.parse(after.passwordChangedAt)).toBeGreaterThanOrEqual(Date.parse(before.passwordChangedAt));
    expect((await run(['remove', 'lan', ...state])).code).toBe(0);
    expect(readAccounts(file).accounts).toEqual([]);
    expect((await run(['remove', 'lan', ...state])).code).toBe(1);
  });

  it('refuses short passwords, unknown roles, bad names and a second account of the same name', async () => {
    const { d, pw } = dir();
    const state = ['--state-dir', join(d, 'state')];
    await expect(run(['add', 'lan', '--role', 'officer', '--password-file', pw('s', 'ngan'), ...state])).rejects.toThrow(/at least 12/);
    await expect(run(['add', 'lan', '--role', 'admin', '--password-file', pw('p', 'mat-khau-dai-2026'), ...state])).rejects.toThrow(
      /unknown role admin/,
    );
    await expect(run(['add', '../x', '--role', 'officer', ...state])).rejects.toThrow(/NAME must match/);
    await expect(run(['add', 'lan', '--role', 'officer', '--password-file', pw('n', 'lan-mat-khau-2026'), ...state])).rejects.toThrow(
      /must not contain the account name/,
    );
    await run(['add', 'lan', '--role', 'officer', '--password-file', pw('p2', 'mat-khau-dai-2026'), ...state]);
    expect((await run(['add', 'lan', '--role', 'officer', '--password-file', pw('p3', 'mat-khau-dai-2026'), ...state])).code).toBe(1);
  });

  it('reads a piped password from stdin (one line)', async () => {
    const input = new PassThrough();
    const p = promptPassword(input);
    input.end('tu-stdin-mat-khau\n');
    expect(await p).toBe('tu-stdin-mat-khau');
  });
});

describe('the running hub reading accounts.json', () => {
  it('picks up a change, tightens a file written 0644 by hand, keeps the last good copy when it breaks', async () => {
    const { d, pw, file } = dir();
    const problems: string[] = [];
    const view = watchAccounts(file, (m) => problems.push(m));
    expect(view.current().accounts).toEqual([]);
    await runUserCommand(
      ['add', 'lan', '--role', 'officer', '--password-file', pw('p', 'mat-khau-dai-2026'), '--state-dir', join(d, 'state')],
      () => {},
    );
    expect(view.find('lan')?.roles).toEqual(['officer']);
    const text = readFileSync(file, 'utf8');
    rmSync(file);
    writeFileSync(file, text, { mode: 0o644 });
    expect(view.find('lan')).toBeDefined();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    writeFileSync(file, '{"version": 1, "accounts": [');
    expect(view.find('lan')).toBeDefined(); // the last good copy
    expect(problems.at(-1)).toMatch(/not valid JSON/);
  }, 90_000);
});
