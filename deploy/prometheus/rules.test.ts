import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The alert rules as Prometheus reads them: `promtool check rules` (syntax, PromQL, templates) and
// `promtool test rules` (reception-rules.test.yml: every alert firing and not firing). Debian's promtool
// (package prometheus); missing, the test fails. A rule changed without its test fails, shown on a copy.

const here = join(import.meta.dirname);
const promtool = ['/usr/bin/promtool', '/usr/local/bin/promtool'].find((p) => spawnSync(p, ['--version']).status === 0);
const tool = (args: string[], cwd = here) => {
  if (!promtool) throw new Error('promtool is not installed (Debian package prometheus)');
  const r = spawnSync(promtool, args, { cwd, encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
};
const ALERTS = [
  'ReceptionRoomOffline',
  'ReceptionHubDown',
  'ReceptionRoomDiskLow',
  'ReceptionUploadBacklogOld',
  'ReceptionRoomDeviceDown',
  'ReceptionRoomClockOffset',
  'ReceptionRoomWorkerRestarts',
  'ReceptionRoomRecordingFailing',
  'ReceptionCertificateExpiry',
];

describe('deploy/prometheus/reception-rules.yml', () => {
  it('promtool check rules: every rule parses', () => {
    const r = tool(['check', 'rules', 'reception-rules.yml']);
    expect(r.out).toContain(`SUCCESS: ${ALERTS.length} rules found`);
    expect(r.status, r.out).toBe(0);
  });

  it('promtool test rules: every alert fires and stays quiet where it should', () => {
    const rules = readFileSync(join(here, 'reception-rules.yml'), 'utf8');
    const tests = readFileSync(join(here, 'reception-rules.test.yml'), 'utf8');
    for (const a of ALERTS) {
      expect(rules).toContain(`alert: ${a}`);
      expect(tests, `${a} has a firing case`).toMatch(new RegExp(`alertname: ${a}\\n\\s+exp_alerts:\\n\\s+- exp_labels`));
    }
    const r = tool(['test', 'rules', 'reception-rules.test.yml']);
    expect(r.status, r.out).toBe(0);
    expect(r.out).toContain('SUCCESS');
  });

  it('a broken alert fails its test (the offline threshold moved from 2 to 5 minutes)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rules-broken-'));
    copyFileSync(join(here, 'reception-rules.test.yml'), join(dir, 'reception-rules.test.yml'));
    const rules = readFileSync(join(here, 'reception-rules.yml'), 'utf8');
    expect(rules).toContain('reception_room_report_age_seconds > 120');
    writeFileSync(
      join(dir, 'reception-rules.yml'),
      rules.replace('reception_room_report_age_seconds > 120', 'reception_room_report_age_seconds > 300'),
    );
    const r = tool(['test', 'rules', 'reception-rules.test.yml'], dir);
    expect(r.status).not.toBe(0);
    expect(r.out).toMatch(/alertname: ReceptionRoomOffline, time: 5m/);
  });
});
