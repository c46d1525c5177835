import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// Issue 10, room side: every unit gets UMask=0077, an empty capability bounding set, restricted address
// families, ProtectProc=invisible, NoNewPrivileges and a system call filter where it fits; the kiosk
// browser runs as its own user, away from the room's keys, config and recordings, on loopback only.
// `systemd-analyze security --offline` scores each unit (lower is better; 10 = nothing set); the budgets
// below are the scores measured (README.md) rounded up a little, so a lost directive fails here.

const DIR = resolve(import.meta.dirname);
// The update installer (root, started on demand) has a test of its own below.
const UNITS = readdirSync(DIR).filter((f) => f.endsWith('.service') && f !== 'reception-update.service');
const NODE_UNITS = ['reception-daemon.service', 'reception-gateway.service', 'reception-hub.service'];
const BUDGET: Record<string, number> = {
  'reception-daemon.service': 2.0,
  'reception-gateway.service': 1.5,
  'reception-hub.service': 1.5,
  'reception-kiosk.service': 2.5,
  'reception-update.service': 2.6,
};
const values = (unit: string, key: string) =>
  readFileSync(join(DIR, unit), 'utf8')
    .split('\n')
    .filter((l) => l.startsWith(`${key}=`))
    .map((l) => l.slice(key.length + 1));
const one = (unit: string, key: string) => values(unit, key).join(' ');

const tmp = mkdtempSync(join(tmpdir(), 'units-security-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The exposure systemd-analyze gives the unit (its ExecStart pointed at /usr/bin/true: the review reads settings only). */
function exposure(unit: string): number {
  const body = readFileSync(join(DIR, unit), 'utf8')
    .replace(/^ExecStart=\S+/m, 'ExecStart=/usr/bin/true')
    .replaceAll('@INSTALL_ROOT@', '/opt/reception');
  writeFileSync(join(tmp, unit), body);
  const r = spawnSync('systemd-analyze', ['security', '--offline=true', '--no-pager', join(tmp, unit)], { encoding: 'utf8' });
  const m = /Overall exposure level for \S+: (\d+\.\d)/.exec(r.stdout);
  if (!m) throw new Error(`no score from systemd-analyze security: ${r.stdout}\n${r.stderr}`);
  return Number(m[1]);
}

describe('systemd units: hardening', () => {
  it.each(UNITS)('%s: UMask, no capabilities, address families, ProtectProc, no new privileges', (unit) => {
    expect(one(unit, 'UMask')).toBe('0077');
    expect(values(unit, 'CapabilityBoundingSet')).toEqual(['']);
    expect(values(unit, 'AmbientCapabilities')).toEqual(['']);
    expect(one(unit, 'RestrictAddressFamilies')).toBe('AF_UNIX AF_INET AF_INET6 AF_NETLINK');
    expect(one(unit, 'ProtectProc')).toBe('invisible');
    expect(one(unit, 'NoNewPrivileges')).toBe('yes');
    for (const key of ['ProtectKernelTunables', 'ProtectKernelModules', 'ProtectKernelLogs', 'ProtectControlGroups', 'ProtectClock'])
      expect(one(unit, key), key).toBe('yes');
    expect(one(unit, 'SystemCallArchitectures')).toBe('native');
  });

  it.each(NODE_UNITS)('%s: the @system-service system call filter, failing calls with EPERM; its own namespaces only', (unit) => {
    expect(values(unit, 'SystemCallFilter')[0]).toBe('@system-service');
    expect(values(unit, 'SystemCallFilter')[1]).toMatch(/^~@privileged/);
    expect(one(unit, 'SystemCallErrorNumber')).toBe('EPERM');
    expect(one(unit, 'RestrictNamespaces')).toBe('yes');
    expect(one(unit, 'MemoryDenyWriteExecute')).toBe(''); // V8's JIT needs it: setting it would kill node
  });

  it('the update installer: root with three capabilities, writing only the install root and the room state', () => {
    const unit = 'reception-update.service';
    expect(one(unit, 'User')).toBe('root');
    expect(one(unit, 'CapabilityBoundingSet')).toBe('CAP_CHOWN CAP_DAC_OVERRIDE CAP_FOWNER');
    expect(one(unit, 'ProtectSystem')).toBe('strict');
    expect(one(unit, 'ReadWritePaths')).toBe('@INSTALL_ROOT@ /var/lib/reception');
    expect(one(unit, 'UMask')).toBe('0022'); // the release is read by the room's own users
    for (const key of ['NoNewPrivileges', 'PrivateDevices', 'ProtectKernelTunables', 'ProtectKernelModules', 'ProtectClock'])
      expect(one(unit, key), key).toBe('yes');
    expect(values(unit, 'SystemCallFilter')).toEqual(['@system-service']);
  });

  it('gateway and hub see no devices, no other users, no other processes; the daemon only its devices', () => {
    for (const unit of ['reception-gateway.service', 'reception-hub.service'])
      for (const [key, v] of [
        ['PrivateDevices', 'yes'],
        ['PrivateUsers', 'yes'],
        ['ProcSubset', 'pid'],
      ])
        expect(one(unit, key!), `${unit} ${key}`).toBe(v);
    expect(one('reception-daemon.service', 'DevicePolicy')).toBe('closed');
  });

  it('the kiosk browser is its own user, cannot see the room state or config, and talks to loopback only', () => {
    const unit = 'reception-kiosk.service';
    expect(one(unit, 'User')).toBe('reception-kiosk');
    expect(one(unit, 'Group')).toBe('reception-kiosk');
    expect(one(unit, 'SupplementaryGroups').split(' ')).not.toContain('reception');
    expect(values(unit, 'ReadWritePaths')).toEqual([]);
    expect(one(unit, 'InaccessiblePaths').split(' ')).toEqual(['-/var/lib/reception', '-/etc/reception']);
    expect(one(unit, 'StateDirectory')).toBe('reception-kiosk');
    expect(values(unit, 'Environment')).toContain('HOME=/var/lib/reception-kiosk');
    expect(one(unit, 'ExecStart')).toContain('--user-data-dir=/var/lib/reception-kiosk/chromium');
    expect(one(unit, 'IPAddressDeny')).toBe('any');
    expect(one(unit, 'IPAddressAllow')).toBe('localhost');
    expect(one(unit, 'DevicePolicy')).toBe('closed');
  });

  it.each([...UNITS, 'reception-update.service'])('%s: systemd-analyze security exposure within its budget', (unit) => {
    const score = exposure(unit);
    console.info(`figure: systemd-analyze security ${unit}: ${score}`);
    expect(score).toBeLessThanOrEqual(BUDGET[unit]!);
  });

  it('the score does tell: the same unit without its hardening is exposed', () => {
    const bare = '[Service]\nType=simple\nUser=reception\nExecStart=/usr/bin/true\n';
    writeFileSync(join(tmp, 'bare-probe.service'), bare);
    const r = spawnSync('systemd-analyze', ['security', '--offline=true', '--no-pager', join(tmp, 'bare-probe.service')], {
      encoding: 'utf8',
    });
    expect(Number(/exposure level for \S+: (\d+\.\d)/.exec(r.stdout)?.[1])).toBeGreaterThan(8);
  });
});
