import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { run as configCommand } from './config-command.js';

const USER = 'reception';
/** The kiosk browser's own user (room role): no access to the daemon's keys, config or recordings. */
const KIOSK_USER = 'reception-kiosk';
const UNITS_BY_ROLE = {
  room: ['reception-daemon.service', 'reception-gateway.service', 'reception-kiosk.service'],
  hub: ['reception-hub.service'],
} as const;

interface Step {
  what: string;
  apply(): Promise<void> | void;
}

export const usage = `Usage: reception install [--prefix /opt/reception] [--role room|hub] [--root /] [--dry-run]

Cài đặt lên máy: người dùng hệ thống (phòng: thêm người dùng riêng của kiosk), các unit systemd, sysctl,
cấu hình mặc định. Không tự bật dịch vụ.
Install on this box: the system users (reception; a room also reception-kiosk, the kiosk browser's own),
the systemd units, the sysctl drop-in, a default config.
Prints the systemctl commands to run; enables nothing itself.

Options:
      --prefix DIR    where the application is installed (default /opt/reception)
      --role ROLE     room (daemon, gateway, kiosk) or hub (default room)
      --root DIR      install into another tree, e.g. an image being built (default /)
      --dry-run       only print the steps
  -h, --help          this help
`;

/**
 * `reception install [--prefix /opt/reception] [--role room|hub] [--root /] [--dry-run]`: the system user,
 * the units from PREFIX/systemd (ExecStart rewritten to PREFIX), the sysctl drop-in and a default
 * /etc/reception/config.json if there is none. Prints the systemctl commands; enables nothing itself.
 * `--root` installs into another tree (an image being built); `--dry-run` only prints the steps.
 */
export async function run(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      prefix: { type: 'string', default: '/opt/reception' },
      role: { type: 'string', default: 'room' },
      root: { type: 'string', default: '/' },
      'dry-run': { type: 'boolean', default: false },
    },
  });
  const role = values.role as keyof typeof UNITS_BY_ROLE;
  if (!(role in UNITS_BY_ROLE)) {
    process.stderr.write(`--role must be room or hub (got "${values.role}")\n`);
    return 2;
  }
  const prefix = resolve(values.prefix!);
  const root = resolve(values.root!);
  const source = join(prefix, 'systemd');
  if (!existsSync(source)) {
    process.stderr.write(`no unit files in ${source}: is the application installed under --prefix ${prefix}?\n`);
    return 1;
  }
  const dry = values['dry-run']!;
  const steps = plan(source, prefix, root, role);
  for (const step of steps) {
    process.stdout.write(`${dry ? 'would ' : ''}${step.what}\n`);
    if (!dry) await step.apply();
  }
  const units = UNITS_BY_ROLE[role].join(' ');
  // The units start /usr/local/bin/node: scripts/install-node.sh puts the Node of .node-version there.
  const node = existsSync(join(root, '/usr/local/bin/node'))
    ? ''
    : `  bash ${join(prefix, 'scripts/install-node.sh')}   # /usr/local/bin/node, which the units start\n`;
  // A room's loopback callers only read (access.loopbackRole monitor): officers act through the kiosk PIN,
  // technicians with a token.
  // As the service user: the config store rewrites the file, and one owned by root would lock the daemon out.
  const cli = `runuser -u ${USER} -- /usr/local/bin/node ${join(prefix, 'dist/provisioning/reception.js')}`;
  const room =
    role === 'room'
      ? `  ${cli} kiosk-pin --config /etc/reception/config.json PIN   # the officers' PIN at the touch screen\n` +
        `  ${cli} token add NAME technician --config /etc/reception/config.json   # technician access (loopback only reads)\n`
      : '';
  process.stdout.write(
    `\n${dry ? 'Then' : 'Now'} run:\n${node}${room}  sysctl --system\n  systemctl daemon-reload\n  systemctl enable --now ${units}\n`,
  );
  return 0;
}

function plan(source: string, prefix: string, root: string, role: keyof typeof UNITS_BY_ROLE): Step[] {
  const at = (p: string) => join(root, p);
  // The update installer's root: the installed layout (<root>/releases/<version>, <root>/current = PREFIX).
  const installRoot = basename(prefix) === 'current' ? dirname(prefix) : prefix;
  const steps: Step[] = [];
  // The kiosk user is in no group of the daemon's: /var/lib/reception (0750) and the config (0600) stay closed to it.
  const users: [string, string][] = [
    [USER, '/var/lib/reception'],
    ...(role === 'room' ? ([[KIOSK_USER, '/var/lib/reception-kiosk']] as [string, string][]) : []),
  ];
  for (const [name, home] of users) {
    if (userExists(root, name)) continue;
    const args = [
      '--system',
      '--user-group',
      '--home-dir',
      home,
      '--no-create-home',
      '--shell',
      '/usr/sbin/nologin',
      ...(root === '/' ? [] : ['--root', root]),
      name,
    ];
    steps.push({
      what: `create system user: useradd ${args.join(' ')}`,
      apply: () => void execFileSync('useradd', args, { stdio: 'inherit' }),
    });
  }
  for (const file of readdirSync(source)
    .filter((f) => f.endsWith('.service'))
    .sort()) {
    const to = at(`/etc/systemd/system/${file}`);
    steps.push({
      what: `install ${join(source, file)} -> ${to}`,
      apply: () =>
        install(join(source, file), to, (s) => s.replaceAll('/opt/reception/', `${prefix}/`).replaceAll('@INSTALL_ROOT@', installRoot)),
    });
  }
  for (const file of readdirSync(source).filter((f) => f.endsWith('.conf'))) {
    const to = at(`/etc/sysctl.d/${file}`);
    steps.push({ what: `install ${join(source, file)} -> ${to}`, apply: () => install(join(source, file), to) });
  }
  if (role === 'room') {
    // polkit: the daemon may restart its own units and start the update installer (systemd/50-reception.rules).
    const to = at('/etc/polkit-1/rules.d/50-reception.rules');
    steps.push({
      what: `install ${join(source, '50-reception.rules')} -> ${to}`,
      apply: () => install(join(source, '50-reception.rules'), to),
    });
  }
  const config = at('/etc/reception/config.json');
  if (!existsSync(config)) {
    steps.push({
      what: `write default config: reception config init ${config} (owner ${USER}, mode 0600)`,
      async apply() {
        mkdirSync(at('/etc/reception'), { recursive: true, mode: 0o750 });
        if ((await configCommand(['init', config])) !== 0) throw new Error(`config init ${config} failed`);
        if (root !== '/') return; // an image: its own passwd, chown at first boot
        const [uid, gid] = ['-u', '-g'].map((f) => Number(execFileSync('id', [f, USER], { encoding: 'utf8' }).trim()));
        chownSync(config, uid!, gid!); // the daemon runs as reception and reads it
        chownSync(at('/etc/reception'), uid!, gid!); // and writes a pushed config beside it (temp file + rename)
      },
    });
  }
  return steps;
}

function install(from: string, to: string, edit: (s: string) => string = (s) => s) {
  mkdirSync(resolve(to, '..'), { recursive: true });
  writeFileSync(to, edit(readFileSync(from, 'utf8')), { mode: 0o644 });
}

function userExists(root: string, name: string): boolean {
  if (root !== '/')
    return (
      existsSync(join(root, 'etc/passwd')) &&
      readFileSync(join(root, 'etc/passwd'), 'utf8')
        .split('\n')
        .some((l) => l.startsWith(`${name}:`))
    );
  try {
    execFileSync('getent', ['passwd', name], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
