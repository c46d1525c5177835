import { describe, expect, it } from 'vitest';
import { burnVerification, hashPassword, PasswordCheckBusyError, verifyPassword } from './password.js';
import { TEST_COST } from './test/signin-app.js';

describe('passwords', () => {
  it('verify the right password only, NFC-normalised (a Vietnamese password typed on another keyboard)', async () => {
    const h = await hashPassword('Mật khẩu tiếng Việt', TEST_COST);
    expect(await verifyPassword('Mật khẩu tiếng Việt', h)).toBe(true);
    expect(await verifyPassword('Mật khẩu tiếng Việt'.normalize('NFD'), h)).toBe(true);
    expect(await verifyPassword('Mat khau tieng Viet', h)).toBe(false);
    expect(await verifyPassword('Mật khẩu tiếng Việt', { ...h, hash: Buffer.alloc(16).toString('base64') })).toBe(false);
  });

  it('a flood of checks waits in a bounded queue: past it, refused at once (not queued without end)', async () => {
    const h = await hashPassword('mat-khau-dai-2026', TEST_COST);
    const all = Array.from({ length: 80 }, () =>
      verifyPassword('sai', h).then(
        () => 'checked',
        (e: unknown) => e,
      ),
    );
    const results = await Promise.all(all);
    expect(results.filter((r) => r === 'checked').length).toBe(52); // 2 running + 50 waiting
    expect(results.filter((r) => r instanceof PasswordCheckBusyError).length).toBe(28);
    expect(await burnVerification('x', h)).toBe(false); // the queue drained: checks go on
  });
});
