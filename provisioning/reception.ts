#!/usr/bin/env node
// `reception`: one CLI for every role of the appliance. Each subcommand lives in commands/.

/** A subcommand module: `run` returns an exit code (void: long-running); `usage` is its --help text. */
interface Command {
  // biome-ignore lint/suspicious/noConfusingVoidType: long-running commands return nothing (no return statement)
  run(argv: string[]): Promise<number | void>;
  usage: string;
}

const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  daemon: { summary: 'run the room daemon (camera/audio control API)', load: () => import('./commands/daemon-command.js') },
  sim: { summary: 'run the simulated room hardware (ONVIF + VISCA cameras, Tesira DSP)', load: () => import('./commands/sim-command.js') },
  demo: { summary: 'run a whole simulated room on loopback and print its URLs', load: () => import('./commands/demo-command.js') },
  config: { summary: 'config check FILE | config init FILE', load: () => import('./commands/config-command.js') },
  token: { summary: 'token add NAME ROLE --config FILE: create an API token', load: () => import('./commands/token-command.js') },
  'kiosk-pin': {
    summary: "kiosk-pin [--config FILE] PIN: set the officers' PIN of the kiosk page (4–8 digits)",
    load: () => import('../daemon/modules/kiosk/kiosk-pin-command.js'),
  },
  discover: { summary: 'find ONVIF cameras on the network (WS-Discovery)', load: () => import('./commands/discover-command.js') },
  hub: { summary: "run the central hub (hearings, SFU, WHIP/WHEP, officers' console)", load: () => import('./commands/hub-command.js') },
  gateway: { summary: 'run the room gateway (WebRTC link to the hub, kiosk bridge)', load: () => import('./commands/gateway-command.js') },
  install: {
    summary: 'install [--prefix /opt/reception] [--role room|hub] [--dry-run]: system user, systemd units, sysctl, default config',
    load: () => import('./commands/install-command.js'),
  },
  provision: {
    summary:
      'provision [--config FILE] [--answers FILE] [--no-install]: commission this room in one sitting (cameras, DSP, hub, PIN, self-test, report)',
    load: () => import('./provision/provision-command.js'),
  },
  enroll: {
    summary: 'enroll --hub URL --code CODE [--config FILE]: enroll this room at the hub with a one-time code',
    load: () => import('./enroll/enroll-command.js'),
  },
  release: {
    summary: 'release keygen | build | verify: signed software updates for the room boxes',
    load: () => import('./release/release-command.js'),
  },
  update: {
    summary: 'update install | apply: install a signed release on this box (first time, or as the daemon does for an update)',
    load: () => import('./update/update-command.js'),
  },
  verify: {
    summary:
      "verify HEARING_DIR [--json] [--hub-key KEY | --state-dir DIR]: check a hearing's manifest, signatures, segments (deleted ones on a valid hub receipt) and book",
    load: () => import('./commands/verify-command.js'),
  },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return `Usage: reception <command> [options]\n       reception <command> --help\n\nCommands:\n${lines.join('\n')}\n`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(usage());
    return name ? 0 : 1;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`reception: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  const mod = await command.load();
  if (asksForHelp(rest)) {
    process.stdout.write(mod.usage);
    return 0;
  }
  // biome-ignore lint/suspicious/noConfusingVoidType: what Command.run returns
  let code: number | void;
  try {
    code = await mod.run(rest);
  } catch (err) {
    if (!isUsageError(err)) throw err;
    process.stderr.write(`reception ${name}: ${(err as Error).message}\n\n${mod.usage}`);
    return 2;
  }
  return typeof code === 'number' ? code : -1; // -1: long-running, keep the process alive
}

/** `--help` or `-h` anywhere before a `--`: every subcommand prints its usage and exits 0. */
function asksForHelp(args: string[]): boolean {
  const end = args.indexOf('--');
  return (end < 0 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

/** node:util parseArgs refusing the command line (unknown option, missing value, stray positional). */
function isUsageError(err: unknown): boolean {
  return err instanceof TypeError && String((err as { code?: unknown }).code ?? '').startsWith('ERR_PARSE_ARGS_');
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (err: Error) => {
    process.stderr.write(`reception: ${err.message}\n`);
    process.exit(1);
  },
);
