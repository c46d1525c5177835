import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateConfig } from '../common/config/validate-room-config.js';

const DIR = resolve(import.meta.dirname);
const DIST_CLI = resolve(DIR, '../dist/provisioning/reception.js');
const UNITS = readdirSync(DIR)
  .filter((f) => f.endsWith('.service'))
  .sort();
const text = (unit: string) => readFileSync(join(DIR, unit), 'utf8');
/** key → values (a key may repeat), comments and sections ignored. */
const directives = (unit: string) => {
  const out = new Map<string, string[]>();
  for (const line of text(unit).split('\n')) {
    const m = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (m) out.set(m[1]!, [...(out.get(m[1]!) ?? []), m[2]!]);
  }
  return out;
};
const one = (unit: string, key: string) => directives(unit).get(key)?.join(' ');

// systemd-analyze verify checks that ExecStart binaries exist: /opt/reception is not installed here,
// so the test copies point at this repo's dist/; cage is not installed here, so the kiosk copy runs
// /usr/bin/true in its place (Chromium and the rest of the unit are verified as written). The units
// start /usr/local/bin/node (scripts/install-node.sh puts the Node of .node-version there); a box whose
// Node came from elsewhere verifies them with the node running this test.
const CAGE = '/usr/bin/cage';
const NODE = '/usr/local/bin/node';
const tmp = mkdtempSync(join(tmpdir(), 'units-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('systemd units', () => {
  it('are the five expected units', () => {
    expect(UNITS).toEqual([
      'reception-daemon.service',
      'reception-gateway.service',
      'reception-hub.service',
      'reception-kiosk.service',
      'reception-update.service',
    ]);
  });

  it('reception-update.service pins what it runs: root, the trusted key outside the daemon’s reach, the spool, the units', () => {
    const exec = one('reception-update.service', 'ExecStart')!;
    expect(one('reception-update.service', 'User')).toBe('root');
    expect(one('reception-update.service', 'Type')).toBe('oneshot');
    expect(exec).toContain(' update apply --pinned ');
    expect(exec).toContain(' --key /etc/reception-release/release-public.pem ');
    expect(exec).toContain(' --root @INSTALL_ROOT@ '); // reception install writes the layout's root
    // The job is where the daemon's state is (its unit's RECEPTION_STATE_DIR), in a directory only the daemon writes.
    const state = directives('reception-daemon.service')
      .get('Environment')!
      .find((e) => e.startsWith('RECEPTION_STATE_DIR='))!
      .split('=')[1];
    expect(exec).toContain(` --job ${state}/updates/job.json `);
    expect(exec).toMatch(/ --units reception-daemon\.service,reception-gateway\.service,reception-kiosk\.service$/);
    // The daemon may not write where the key is pinned.
    expect(one('reception-daemon.service', 'ReadWritePaths')).not.toContain('/etc/reception-release');
  });

  it.each(UNITS)('%s passes systemd-analyze verify with no warning', (unit) => {
    expect(existsSync(DIST_CLI), 'build first: npx tsc -p tsconfig.json').toBe(true);
    let body = text(unit)
      .replaceAll('/opt/reception/dist/', `${resolve(DIR, '../dist')}/`)
      .replaceAll('@INSTALL_ROOT@', '/opt/reception'); // reception install writes the layout's root
    if (!existsSync(CAGE)) body = body.replace(`ExecStart=${CAGE} `, 'ExecStart=/usr/bin/true ');
    if (!existsSync(NODE)) body = body.replace(`ExecStart=${NODE} `, `ExecStart=${process.execPath} `);
    for (const exe of body.match(/^ExecStart=(\S+)/gm) ?? []) expect(existsSync(exe.slice('ExecStart='.length)), exe).toBe(true);
    writeFileSync(join(tmp, unit), body);
    const r = spawnSync('systemd-analyze', ['verify', '--man=no', join(tmp, unit)], { encoding: 'utf8', cwd: tmp });
    const complaints = `${r.stdout}\n${r.stderr}`.split('\n').filter((l) => l.includes(unit) || l.includes(tmp));
    expect(complaints).toEqual([]);
    expect(r.status).toBe(0);
  });

  it('the verify step does catch a bad directive (the test above can fail)', () => {
    writeFileSync(join(tmp, 'bad-probe.service'), '[Service]\nType=notify\nWatchdogSecs=30\nExecStart=/usr/bin/true\n');
    const r = spawnSync('systemd-analyze', ['verify', '--man=no', join(tmp, 'bad-probe.service')], { encoding: 'utf8' });
    expect(r.stderr).toMatch(/bad-probe\.service.*WatchdogSecs/);
  });

  it.each(['reception-daemon.service', 'reception-gateway.service', 'reception-hub.service'])(
    '%s: Type=notify, watchdog, restart, node with the thread pool',
    (unit) => {
      expect(one(unit, 'Type')).toBe('notify');
      expect(one(unit, 'NotifyAccess')).toBe('all'); // systemd-notify is a child of node
      expect(one(unit, 'WatchdogSec')).toBe('30');
      // The watchdog's SIGTERM: a process that is not wedged stops gracefully; a wedged one gets SIGKILL after
      // TimeoutAbortSec, longer than its graceful stop's budget (README.md, Restarts).
      expect(one(unit, 'WatchdogSignal')).toBe('SIGTERM');
      expect(Number(one(unit, 'TimeoutAbortSec'))).toBe(unit === 'reception-daemon.service' ? 20 : 10);
      expect(one(unit, 'StartLimitIntervalSec')).toBe('0'); // never left 'failed' by a crash loop
      expect(one(unit, 'StartLimitBurst')).toBeUndefined();
      expect(one(unit, 'RestartPreventExitStatus')).toBe('78');
      expect(directives(unit).get('Environment')).toContain('UV_THREADPOOL_SIZE=16');
      expect(one(unit, 'ExecStart')).toMatch(
        /^\/usr\/local\/bin\/node \/opt\/reception\/dist\/provisioning\/reception\.js (daemon|gateway|hub) --config \/etc\/reception\/(config|hub)\.json$/,
      );
    },
  );

  // The update installer is a root oneshot started on demand (its own test above and in hardening.test.ts).
  it.each(UNITS.filter((u) => u !== 'reception-update.service'))(
    '%s: restarts always, runs as reception (the kiosk as reception-kiosk), hardened',
    (unit) => {
      const kiosk = unit === 'reception-kiosk.service';
      expect(one(unit, 'Restart')).toBe('always');
      expect(one(unit, 'RestartSec')).toBe(unit === 'reception-gateway.service' ? '500ms' : '2'); // the live picture's outage (README)
      expect(one(unit, 'User')).toBe(kiosk ? 'reception-kiosk' : 'reception');
      expect(one(unit, 'ProtectSystem')).toBe('strict');
      // The kiosk writes only its own StateDirectory (systemd/hardening.test.ts).
      // The daemon also writes a config pushed from the hub (remote-ops) beside /etc/reception/config.json.
      expect(one(unit, 'ReadWritePaths')).toBe(
        kiosk ? undefined : unit === 'reception-daemon.service' ? '/var/lib/reception /etc/reception' : '/var/lib/reception',
      );
      expect(one(unit, 'PrivateTmp')).toBe('yes');
      expect(one(unit, 'NoNewPrivileges')).toBe('yes');
      expect(one(unit, 'ProtectHome')).toBe('yes');
    },
  );

  it('the daemon gives up its watchdog after 120 s without a running media worker', () => {
    expect(directives('reception-daemon.service').get('Environment')).toContain('RECEPTION_WATCHDOG_MEDIA_DOWN_SEC=120');
  });

  it('the daemon reaches its serial, audio and video devices and nothing else', () => {
    const d = directives('reception-daemon.service');
    expect(one('reception-daemon.service', 'SupplementaryGroups')).toBe('dialout audio video');
    expect(one('reception-daemon.service', 'DevicePolicy')).toBe('closed');
    expect(d.get('DeviceAllow')).toEqual(['char-ttyS rw', 'char-ttyUSB rw', 'char-ttyACM rw', 'char-alsa rw', 'char-video4linux rw']);
  });

  it('the gateway starts after the daemon', () => {
    expect(one('reception-gateway.service', 'After')).toContain('reception-daemon.service');
    expect(one('reception-gateway.service', 'Wants')).toContain('reception-daemon.service');
  });

  it('the kiosk is cage + chromium on the loopback kiosk page with WebRTC on loopback and no network chatter', () => {
    const unit = 'reception-kiosk.service';
    expect(one(unit, 'Type')).toBe('simple');
    expect(one(unit, 'WatchdogSec')).toBeUndefined(); // chromium never pings: a watchdog would kill it every 30 s
    const exec = one(unit, 'ExecStart')!.split(' ');
    expect(exec.slice(0, 4)).toEqual([CAGE, '-d', '--', '/usr/bin/chromium']);
    expect(exec.at(-1)).toBe('http://127.0.0.1:8080/kiosk/');
    expect(exec).toContain('--lang=vi');
    expect(exec).toContain('--kiosk');
    expect(exec).toContain('--allow-loopback-in-peer-connection');
    expect(exec.filter((a) => a.startsWith('--disable-features='))).toHaveLength(1); // Chromium honours only one
    expect(
      exec
        .find((a) => a.startsWith('--disable-features='))!
        .split('=')[1]!
        .split(','),
    ).toContain('WebRtcHideLocalIpsWithMdns');
    for (const flag of [
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-domain-reliability',
      '--no-first-run',
    ])
      expect(exec).toContain(flag);
    expect(existsSync('/usr/bin/chromium')).toBe(true);
  });

  it('priorities: the live path by nice, never real time; the daemon may start its worker at media.workerNice', () => {
    // README.md, Priorities. The worker's nice is config (default −10); the daemon's RLIMIT_NICE must allow exactly it.
    const workerNice = validateConfig({}).media.workerNice;
    expect(one('reception-daemon.service', 'LimitNICE')).toBe(String(workerNice));
    expect(one('reception-daemon.service', 'Nice')).toBe('0');
    expect(directives('reception-daemon.service').has('IOSchedulingPriority')).toBe(false); // the worker's IO follows its nice
    for (const unit of ['reception-gateway.service', 'reception-hub.service']) expect(one(unit, 'Nice'), unit).toBe('-10');
    for (const unit of UNITS) {
      expect(one(unit, 'CPUSchedulingPolicy') ?? 'other', unit).toBe('other');
      expect(one(unit, 'CPUSchedulingPriority'), unit).toBeUndefined();
    }
    for (const unit of ['reception-daemon.service', 'reception-gateway.service', 'reception-hub.service'])
      expect(one(unit, 'RestrictRealtime'), unit).toBe('yes');
    expect(one('reception-update.service', 'Nice')).toBe('10');
    expect(one('reception-update.service', 'IOSchedulingClass')).toBe('best-effort');
  });

  it('the sysctl drop-in raises both UDP receive buffers to 4 MiB', () => {
    const conf = readFileSync(join(DIR, '99-reception-udp.conf'), 'utf8');
    const kv = Object.fromEntries(
      conf
        .split('\n')
        .filter((l) => l.trim() && !l.startsWith('#'))
        .map((l) => l.split('=').map((s) => s.trim())),
    );
    expect(kv).toEqual({ 'net.core.rmem_default': '4194304', 'net.core.rmem_max': '4194304' });
  });
});
