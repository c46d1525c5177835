import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { certificateNames, ensureInternalCa, ensureServerCertificate } from './internal-ca.js';
import { TlsSetupError } from './pem-files.js';

const dirs: string[] = [];
const fresh = () => {
  const d = mkdtempSync(join(tmpdir(), 'tls-ca-'));
  dirs.push(d);
  return join(d, 'tls');
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const mode = (f: string) => statSync(f).mode & 0o777;
const DAY = 86_400_000;

describe('internal CA (<stateDir>/tls)', () => {
  it('is created once, key 0600, and the same CA comes back on the next start', async () => {
    const dir = fresh();
    const ca = await ensureInternalCa(dir);
    expect(mode(join(dir, 'ca.key'))).toBe(0o600);
    expect(mode(dir)).toBe(0o700);
    expect(ca.cert.ca).toBe(true);
    expect(ca.cert.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    const again = await ensureInternalCa(dir);
    expect(again.caPem).toBe(ca.caPem);
  });

  it('a state dir it cannot write is a setup error naming the file (the hub exits 78)', async () => {
    const dir = fresh();
    mkdirSync(dirname(dir), { recursive: true });
    writeFileSync(dir, 'a file where the tls directory should be');
    const err = await ensureInternalCa(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TlsSetupError);
    expect(err).toMatchObject({
      field: 'stateDir',
      message: expect.stringMatching(/^cannot (read|write) .*tls\/ca\.key: (ENOTDIR|EEXIST)/),
    });
  });

  it('a CA with its key missing is an error, never silently replaced', async () => {
    const dir = fresh();
    await ensureInternalCa(dir);
    rmSync(join(dir, 'ca.key'));
    await expect(ensureInternalCa(dir)).rejects.toThrow(TlsSetupError);
    await expect(ensureInternalCa(dir)).rejects.toThrow(/ca\.key is missing/);
  });

  it('a CA key that is not the certificate’s is refused', async () => {
    const a = fresh();
    const b = fresh();
    await ensureInternalCa(a);
    await ensureInternalCa(b);
    writeFileSync(join(a, 'ca.key'), readFileSync(join(b, 'ca.key')));
    await expect(ensureInternalCa(a)).rejects.toThrow(/is not the key of/);
  });
});

describe('server certificate', () => {
  it('names every host and address, passes openssl verify as a TLS server certificate, key 0600', async () => {
    const dir = fresh();
    const ca = await ensureInternalCa(dir);
    const s = await ensureServerCertificate(dir, ca, ['hub.tinh.gov.vn', 'localhost', '10.20.0.5', '127.0.0.1', '::1']);
    expect(s.issued).toBe(true);
    expect(certificateNames(s.cert).sort()).toEqual(['0:0:0:0:0:0:0:1', '10.20.0.5', '127.0.0.1', 'hub.tinh.gov.vn', 'localhost'].sort());
    expect(s.cert.checkHost('hub.tinh.gov.vn')).toBe('hub.tinh.gov.vn');
    expect(s.cert.checkIP('::1')).toBe('::1');
    expect(s.cert.ca).toBe(false);
    expect(mode(join(dir, 'server.key'))).toBe(0o600);
    const out = execFileSync(
      'openssl',
      ['verify', '-x509_strict', '-purpose', 'sslserver', '-CAfile', join(dir, 'ca.pem'), join(dir, 'server.pem')],
      {
        encoding: 'utf8',
      },
    );
    expect(out).toContain(': OK');
  });

  it('is kept while fine, re-issued for a new name, near expiry, or a key that does not match', async () => {
    const dir = fresh();
    const ca = await ensureInternalCa(dir);
    const names = ['hub.local', '127.0.0.1', '::1', 'fe80::1'];
    const first = await ensureServerCertificate(dir, ca, names);
    const kept = await ensureServerCertificate(dir, ca, names);
    expect(kept.issued).toBe(false);
    expect(kept.certPem).toBe(first.certPem);

    const reasons: string[] = [];
    const onIssue = (r: string) => reasons.push(r);
    const named = await ensureServerCertificate(dir, ca, [...names, 'hub2.local'], { onIssue });
    expect(named.issued).toBe(true);
    expect(reasons.at(-1)).toBe('does not name hub2.local');

    const later = new Date(Date.now() + 340 * DAY); // 25 days before the end of a 365-day certificate
    const renewed = await ensureServerCertificate(dir, ca, names, { now: later, onIssue });
    expect(renewed.issued).toBe(true);
    expect(reasons.at(-1)).toMatch(/^expires /);
    expect(new Date(renewed.cert.validTo).getTime()).toBeGreaterThan(later.getTime() + 300 * DAY);

    writeFileSync(join(dir, 'server.key'), readFileSync(join(dir, 'ca.key'))); // a crash between the two writes, or a mix-up
    const mended = await ensureServerCertificate(dir, ca, names, { onIssue });
    expect(mended.issued).toBe(true);
    expect(reasons.at(-1)).toMatch(/is not the key of/);
  });

  it('one issued by another CA (the tls dir restored from elsewhere) is re-issued', async () => {
    const dir = fresh();
    const other = fresh();
    const ca = await ensureInternalCa(dir);
    const otherCa = await ensureInternalCa(other);
    await ensureServerCertificate(other, otherCa, ['hub.local']);
    for (const f of ['server.key', 'server.pem']) writeFileSync(join(dir, f), readFileSync(join(other, f)));
    const s = await ensureServerCertificate(dir, ca, ['hub.local']);
    expect(s.issued).toBe(true);
    expect(s.cert.verify(ca.cert.publicKey)).toBe(true);
  });
});
