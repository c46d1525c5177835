import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { WriterLockHeldError } from '../../common/storage/writer-lock.js';
import { ConfigError } from '../../common/config/config-error.js';

// `reception daemon` and `reception gateway` share their command line: --config FILE, and
// --wait-for-config SECONDS for process managers that start every app at once (pm2 has no
// ordering): the simulator or the provisioning step writes the room config a moment later, and
// an app that exits within milliseconds of its start is not always restarted by pm2.

/** The options of both, for their --help. */
export function roomProcessUsage(name: 'daemon' | 'gateway', vi: string, en: string): string {
  return `Usage: reception ${name} [--config FILE] [--wait-for-config SECONDS]

${vi}
${en}

Options:
  -c, --config FILE               the room config (default: env RECEPTION_CONFIG, else the built-in demo room)
      --wait-for-config SECONDS   wait up to SECONDS for FILE to appear (pm2 starts every app at once)
  -h, --help                      this help

Exit codes: 78 bad config (the field is named)${name === 'daemon' ? ", 75 another daemon holds the recordings' writer lock" : ''}.
`;
}

async function waitForFile(file: string, seconds: number): Promise<void> {
  for (const end = Date.now() + seconds * 1000; !existsSync(file) && Date.now() < end; ) {
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function runRoomProcess(
  argv: string[],
  start: (configFile: string | undefined) => Promise<unknown>,
): Promise<number | undefined> {
  const { values } = parseArgs({ args: argv, options: { config: { type: 'string', short: 'c' }, 'wait-for-config': { type: 'string' } } });
  const wait = Number(values['wait-for-config'] ?? 0);
  if (!Number.isFinite(wait) || wait < 0) {
    process.stderr.write(`--wait-for-config must be a number of seconds (got "${values['wait-for-config']}")\n`);
    return 64; // EX_USAGE
  }
  if (values.config && wait > 0) await waitForFile(values.config, wait);
  try {
    await start(values.config);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return 78; // EX_CONFIG: systemd should not hammer a restart loop on a bad file
    }
    if (err instanceof WriterLockHeldError) {
      process.stderr.write(`${err.message}\n`);
      return 75; // EX_TEMPFAIL: the other writer may be gone by the next start
    }
    throw err;
  }
  return undefined;
}
