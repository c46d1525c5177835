import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../provisioning/commands/install-command.js';

const REPO = resolve(import.meta.dirname, '..');

async function capture(argv: string[]) {
  let out = '';
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string) => ((out += chunk), true)) as typeof process.stdout.write;
  try {
    return { code: await run(argv), out };
  } finally {
    process.stdout.write = write;
  }
}

describe('reception install --dry-run', () => {
  const root = mkdtempSync(join(tmpdir(), 'install-root-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('prints every step and the systemctl commands, and changes nothing', async () => {
    const { code, out } = await capture(['--prefix', REPO, '--root', root, '--dry-run']);
    expect(code).toBe(0);
    expect(out).toContain(`would create system user: useradd --system --user-group --home-dir /var/lib/reception --no-create-home`);
    // The kiosk browser's own user, in no group of the daemon's.
    expect(out).toContain(
      `would create system user: useradd --system --user-group --home-dir /var/lib/reception-kiosk --no-create-home --shell /usr/sbin/nologin --root ${root} reception-kiosk\n`,
    );
    for (const unit of [
      'reception-daemon.service',
      'reception-gateway.service',
      'reception-hub.service',
      'reception-kiosk.service',
      'reception-update.service',
    ]) {
      expect(out).toContain(`would install ${REPO}/systemd/${unit} -> ${root}/etc/systemd/system/${unit}`);
    }
    expect(out).toContain(`-> ${root}/etc/sysctl.d/99-reception-udp.conf`);
    expect(out).toContain(`would install ${REPO}/systemd/50-reception.rules -> ${root}/etc/polkit-1/rules.d/50-reception.rules`);
    expect(out).toContain(`would write default config: reception config init ${root}/etc/reception/config.json`);
    expect(out).toContain('systemctl enable --now reception-daemon.service reception-gateway.service reception-kiosk.service');
    // Loopback only reads on a room: the PIN for officers and a token for the technician are steps of their own.
    expect(out).toMatch(/ kiosk-pin --config \/etc\/reception\/config\.json PIN /);
    expect(out).toMatch(/ token add NAME technician --config \/etc\/reception\/config\.json /);
    expect(out.split('\n').filter((l) => l.startsWith('would ') || l.startsWith('  ')).length).toBe(
      out.split('\n').filter((l) => l.trim()).length - 1,
    );
    expect(readdirSync(root)).toEqual([]);
  });

  it('--role hub enables the hub; a wrong prefix or role is refused', async () => {
    const hub = (await capture(['--prefix', REPO, '--root', root, '--role', 'hub', '--dry-run'])).out;
    expect(hub).toContain('systemctl enable --now reception-hub.service\n');
    expect(hub).not.toContain('reception-kiosk\n'); // a hub has no kiosk user
    expect(hub).not.toContain('50-reception.rules'); // nothing on a hub asks systemd for anything
    expect((await capture(['--prefix', join(root, 'nowhere'), '--root', root, '--dry-run'])).code).toBe(1);
    expect((await capture(['--prefix', REPO, '--role', 'kiosk', '--dry-run'])).code).toBe(2);
    expect(readdirSync(root)).toEqual([]);
  });
});
