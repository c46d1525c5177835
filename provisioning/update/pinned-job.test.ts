import { chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { UpdateJob } from '../../common/release/update-job.js';
import { pinJob } from './pinned-job.js';
import { run } from './update-command.js';

// `update apply --pinned` (the installer unit, as root): what the daemon's job says of the install root, the key
// and the restart is replaced by the unit's own values; a release outside the spool or a health check off loopback
// is refused — a compromised daemon cannot point root at files or hosts of its choosing.

const dir = mkdtempSync(join(tmpdir(), 'pinned-job-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const spool = join(dir, 'state/updates');
mkdirSync(join(spool, '0.9.0'), { recursive: true });
writeFileSync(join(spool, '0.9.0/release.json'), '{}');
writeFileSync(join(dir, 'elsewhere.json'), '{}');
symlinkSync(join(dir, 'elsewhere.json'), join(spool, '0.9.0/escape.json'));

const job = (over: Partial<UpdateJob> = {}): UpdateJob => ({
  version: '0.9.0',
  attempt: 'a1',
  releaseFile: join(spool, '0.9.0/release.json'),
  installRoot: '/tmp/attacker-root',
  trustedKeyFile: '/tmp/attacker-key.pem',
  healthUrl: 'http://127.0.0.1:8080/api/v1/health',
  windowSeconds: 60,
  stableSeconds: 10,
  before: { status: 'ok', gateway: 'connected', media: 'online' },
  restart: { kind: 'signal', systemdUnits: [], pm2Apps: [], pids: [1] },
  ...over,
});
const pins = {
  jobFile: join(spool, 'job.json'),
  root: '/opt/reception',
  key: '/etc/reception-release/release-public.pem',
  units: ['reception-daemon.service', 'reception-gateway.service'],
};

describe('update apply --pinned', () => {
  it('takes the install root, the key and the units from the unit, and says what it ignored', async () => {
    const r = await pinJob(job(), pins);
    if ('refused' in r) throw new Error(r.refused);
    expect(r.job).toMatchObject({
      installRoot: '/opt/reception',
      trustedKeyFile: '/etc/reception-release/release-public.pem',
      restart: { kind: 'systemd', systemdUnits: pins.units, pids: [] },
    });
    expect(r.ignored.join('; ')).toMatch(/installRoot \/tmp\/attacker-root; trustedKeyFile \/tmp\/attacker-key\.pem; restart /);
  });

  it('refuses a release outside the spool (directly or through a symlink), a health check off loopback, foreign units', async () => {
    expect(await pinJob(job({ releaseFile: join(dir, 'elsewhere.json') }), pins)).toMatchObject({
      refused: expect.stringContaining('not inside'),
    });
    expect(await pinJob(job({ releaseFile: join(spool, '0.9.0/escape.json') }), pins)).toMatchObject({
      refused: expect.stringContaining('not inside'),
    });
    expect(await pinJob(job({ releaseFile: join(spool, '../../elsewhere.json') }), pins)).toMatchObject({
      refused: expect.stringContaining('not inside'),
    });
    expect(await pinJob(job({ healthUrl: 'http://10.0.0.9/health' }), pins)).toMatchObject({
      refused: expect.stringContaining('loopback'),
    });
    expect(await pinJob(job({ healthUrl: 'file:///etc/shadow' }), pins)).toMatchObject({ refused: expect.stringContaining('loopback') });
    expect(await pinJob(job(), { ...pins, units: ['ssh.service'] })).toMatchObject({ refused: expect.stringContaining('--units') });
  });

  it.runIf(process.getuid?.() === 0)(
    'the command writes a refusal to the status the daemon reads, owned by the spool’s owner',
    async () => {
      chownSync(spool, 65534, 65534); // the daemon's user owns its spool
      writeFileSync(pins.jobFile, JSON.stringify(job({ releaseFile: join(dir, 'elsewhere.json') })));
      const out = process.stdout.write;
      process.stdout.write = (() => true) as typeof process.stdout.write;
      const code = await run([
        'apply',
        '--pinned',
        '--job',
        pins.jobFile,
        '--root',
        pins.root,
        '--key',
        pins.key,
        '--units',
        pins.units.join(','),
      ]).finally(() => void (process.stdout.write = out));
      expect(code).toBe(1);
      const status = join(spool, 'status.json');
      expect(JSON.parse(readFileSync(status, 'utf8'))).toMatchObject({
        version: '0.9.0',
        state: 'refused',
        reason: expect.stringContaining('not inside'),
      });
      expect(statSync(status).uid).toBe(65534);
    },
  );
});
