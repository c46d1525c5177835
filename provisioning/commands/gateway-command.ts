import { parseArgs } from 'node:util';
import { ConfigError } from '../../daemon/config/load-config.js';
import { runGateway } from '../../gateway/main.js';

export async function run(argv: string[]) {
  const { values } = parseArgs({ args: argv, options: { config: { type: 'string', short: 'c' } } });
  try {
    await runGateway({ configFile: values.config });
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return 78; // EX_CONFIG, as the daemon
    }
    throw err;
  }
}
