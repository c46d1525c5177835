import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureInternalCa, ensureServerCertificate } from '../../common/tls/internal-ca.js';
import { TlsSetupError } from '../../common/tls/pem-files.js';
import type { TlsConfig } from '../config/schema.js';
import { resolveHubTls, tlsFieldPath } from './hub-tls.js';
import { certificateNamesFor, isLoopbackHost } from './listen-names.js';

const dirs: string[] = [];
const fresh = () => {
  const d = mkdtempSync(join(tmpdir(), 'hub-tls-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const cfg = (t: Partial<TlsConfig> = {}): TlsConfig => ({ mode: 'auto', certFile: '', keyFile: '', caFile: '', hostnames: [], ...t });
const refusal = async (p: Promise<unknown>) => {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TlsSetupError);
  return err as TlsSetupError;
};

/** A province-like CA with a hub certificate in files (cert.pem, key.pem, ca.pem) under `dir`. */
async function provinceFiles(dir: string, names = ['hub.tinh.gov.vn']) {
  const ca = await ensureInternalCa(join(dir, 'ca'), { commonName: 'CA tỉnh thử' });
  const s = await ensureServerCertificate(join(dir, 'ca'), ca, names);
  writeFileSync(join(dir, 'cert.pem'), s.certPem);
  writeFileSync(join(dir, 'key.pem'), s.keyPem);
  writeFileSync(join(dir, 'ca.pem'), ca.caPem);
  return { certFile: join(dir, 'cert.pem'), keyFile: join(dir, 'key.pem'), caFile: join(dir, 'ca.pem'), ca };
}

describe('tls.mode', () => {
  it('auto on loopback: plain http (the demo, a hub behind a local TLS proxy)', async () => {
    for (const host of ['127.0.0.1', 'localhost', '::1', '127.0.0.2'])
      expect((await resolveHubTls({ tls: cfg(), host, publicUrl: '', stateDir: fresh() })).mode).toBe('off');
  });

  it('auto on a network address: the internal CA, its certificate naming every interface and the machine', async () => {
    const stateDir = fresh();
    const tls = await resolveHubTls({
      tls: cfg({ hostnames: ['tiep-dan.local'] }),
      host: '0.0.0.0',
      publicUrl: 'https://hub.tinh.gov.vn:8443',
      stateDir,
    });
    expect(tls.mode).toBe('internal-ca');
    expect(tls.caPem).toBe(readFileSync(join(stateDir, 'tls', 'ca.pem'), 'utf8'));
    expect(tls.names).toEqual(
      expect.arrayContaining(['tiep-dan.local', 'hub.tinh.gov.vn', hostname().toLowerCase(), 'localhost', '127.0.0.1']),
    );
    expect(tls.cert).toContain('BEGIN CERTIFICATE');
    expect(await tls.refresh()).toBeUndefined(); // nothing to renew today
  });

  it('off on a non-loopback address refuses to start, naming tls.mode', async () => {
    for (const host of ['0.0.0.0', '10.20.0.5', '::', 'hub.tinh.gov.vn']) {
      const err = await refusal(resolveHubTls({ tls: cfg({ mode: 'off' }), host, publicUrl: '', stateDir: fresh() }));
      expect(err.field).toBe('tls.mode');
      expect(err.message).toContain(`tls.mode "off" on ${host}`);
    }
    expect(tlsFieldPath('tls.mode')).toBe('/tls/mode');
  });

  it('a name or address the hub gains while running (DHCP, a new interface) is covered at the next check', async () => {
    let names = ['hub.local', '10.20.0.5'];
    const tls = await resolveHubTls({ tls: cfg(), host: '0.0.0.0', publicUrl: '', stateDir: fresh(), names: () => names });
    expect(await tls.refresh()).toBeUndefined();
    names = ['hub.local', '10.20.0.9'];
    const next = await tls.refresh();
    expect(next).toBeDefined();
    expect(new X509Certificate(next!.cert).checkIP('10.20.0.9')).toBe('10.20.0.9');
    expect(await tls.refresh()).toBeUndefined();
  });

  it('internal-ca even on loopback when asked; the same CA on the next start', async () => {
    const stateDir = fresh();
    const a = await resolveHubTls({ tls: cfg({ mode: 'internal-ca' }), host: '127.0.0.1', publicUrl: '', stateDir });
    const b = await resolveHubTls({ tls: cfg({ mode: 'internal-ca' }), host: '127.0.0.1', publicUrl: '', stateDir });
    expect(a.mode).toBe('internal-ca');
    expect(b.caPem).toBe(a.caPem);
    expect(b.cert).toBe(a.cert);
  });
});

describe('tls.mode "files" (the province certificate)', () => {
  it('serves the files; the CA handed out is caFile; auto picks files when certFile is set', async () => {
    const dir = fresh();
    const f = await provinceFiles(dir);
    const tls = await resolveHubTls({ tls: cfg({ ...f }), host: '0.0.0.0', publicUrl: '', stateDir: fresh() });
    expect(tls.mode).toBe('files');
    expect(tls.caPem).toBe(f.ca.caPem);
    expect(tls.cert).toBe(readFileSync(f.certFile, 'utf8'));
    expect(tls.names).toEqual(['hub.tinh.gov.vn']); // the Host check answers the certificate's names
    const noCa = await resolveHubTls({
      tls: cfg({ mode: 'files', certFile: f.certFile, keyFile: f.keyFile }),
      host: '0.0.0.0',
      publicUrl: '',
      stateDir: fresh(),
    });
    expect(noCa.caPem).toBeUndefined(); // rooms then trust the system store
  });

  it('missing, unreadable or mismatched files are refused naming the field', async () => {
    const dir = fresh();
    const f = await provinceFiles(dir);
    const other = await provinceFiles(fresh());
    const at = (t: Partial<TlsConfig>) =>
      resolveHubTls({ tls: cfg({ mode: 'files', ...t }), host: '0.0.0.0', publicUrl: '', stateDir: fresh() });
    expect((await refusal(at({ keyFile: f.keyFile }))).field).toBe('tls.certFile');
    expect((await refusal(at({ certFile: f.certFile, keyFile: join(dir, 'nope.pem') }))).message).toMatch(/cannot read .*ENOENT/);
    expect((await refusal(at({ certFile: f.certFile, keyFile: other.keyFile }))).field).toBe('tls.keyFile');
    expect((await refusal(at({ certFile: f.certFile, keyFile: f.keyFile, caFile: other.caFile }))).message).toMatch(
      /was not issued by tls.caFile/,
    );
    expect((await refusal(at({ certFile: f.certFile, keyFile: f.keyFile, caFile: f.certFile }))).message).toMatch(/not a CA/);
    expect((await refusal(at({ certFile: f.keyFile, keyFile: f.keyFile }))).message).toMatch(/holds no PEM certificate/);
  });

  it('renewed files are picked up by refresh(); broken new files keep the old certificate', async () => {
    const dir = fresh();
    const f = await provinceFiles(dir);
    const tls = await resolveHubTls({ tls: cfg({ mode: 'files', ...f }), host: '0.0.0.0', publicUrl: '', stateDir: fresh() });
    const renewed = await ensureServerCertificate(join(dir, 'renew'), f.ca, ['hub.tinh.gov.vn']);
    writeFileSync(f.keyFile, renewed.keyPem); // a half-done copy: the key is new, the certificate still old
    utimesSync(f.keyFile, new Date(), new Date(Date.now() + 5000));
    expect(await tls.refresh()).toBeUndefined();
    writeFileSync(f.certFile, renewed.certPem);
    utimesSync(f.certFile, new Date(), new Date(Date.now() + 6000));
    expect(await tls.refresh()).toEqual({ key: renewed.keyPem, cert: renewed.certPem });
    expect(await tls.refresh()).toBeUndefined(); // unchanged since
  });
});

describe('listen names', () => {
  it('loopback is 127/8, ::1 and localhost only', () => {
    expect(['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', '::ffff:127.0.0.1'].every(isLoopbackHost)).toBe(true);
    expect(['0.0.0.0', '::', '10.0.0.1', 'hub.local', '128.0.0.1', ''].some(isLoopbackHost)).toBe(false);
  });

  it('a specific address is named as it is, with loopback and the publicUrl host; no duplicates', () => {
    expect(certificateNamesFor('10.20.0.5', 'https://Hub.Tinh.gov.vn/', ['hub.tinh.gov.vn', '[fd00::5]'])).toEqual([
      'hub.tinh.gov.vn',
      'fd00::5',
      '10.20.0.5',
      'localhost',
      '127.0.0.1',
      '::1',
    ]);
  });
});
