import { existsSync } from 'node:fs';
import { ConfigError, openConfigStore, validateConfig } from '../../daemon/config/load-config.js';
import { configDocument } from './config-docs.js';

const USAGE = 'Usage: reception config check FILE | config init FILE | config docs\n';

export const usage = `${USAGE}
Kiểm tra, tạo tệp cấu hình của phòng, hoặc in tài liệu các khoá cấu hình.
Check a room config file, write one with the defaults, or print the reference of every config key.

  check FILE   validate FILE exactly as the daemon does (exit 1 naming the bad field)
  init FILE    write the defaults to FILE (mode 0600); refuses to overwrite
  docs         print the config reference (Markdown, docs/CONFIG.md) generated from the schemas
  -h, --help   this help
`;

/** `reception config check FILE` runs exactly the daemon's validation; `init` writes the defaults. */
export async function run(argv: string[]) {
  const [action, file] = argv;
  if (action === 'docs') {
    process.stdout.write(configDocument());
    return 0;
  }
  if (!file || (action !== 'check' && action !== 'init')) {
    process.stderr.write(USAGE);
    return 2;
  }
  if (action === 'init') {
    if (existsSync(file)) {
      process.stderr.write(`${file} exists; not overwriting\n`);
      return 1;
    }
    await (await openConfigStore(file)).write(validateConfig({}));
    process.stdout.write(`wrote default config to ${file}\n`);
    return 0;
  }
  if (!existsSync(file)) {
    process.stderr.write(`invalid config ${file}:\n  at /: file not found\n`);
    return 1;
  }
  try {
    const config = await (await openConfigStore(file)).read();
    process.stdout.write(`${file}: OK (room ${config.room.id}, ${config.cameras.length} camera(s), audio ${config.audio.driver})\n`);
    return 0;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    return 1;
  }
}
