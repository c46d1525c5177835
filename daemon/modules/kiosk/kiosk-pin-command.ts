import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { openConfigStore, validateConfig } from '../../config/load-config.js';
import { hashPin, PIN_PATTERN } from './pin-hash.js';

const USAGE = 'Usage: reception kiosk-pin [--config FILE] PIN   (PIN: 4 to 8 digits)\n';

export const usage = `${USAGE}
Đặt mã PIN của cán bộ cho màn hình phòng (lưu dạng băm scrypt có muối trong kiosk.pinHash).
Set the officers' PIN of the kiosk page (stored as a salted scrypt hash in kiosk.pinHash).

Options:
  -c, --config FILE   the room config (default: env RECEPTION_CONFIG)
  -h, --help          this help
`;

/** `reception kiosk-pin [--config FILE] PIN`: stores a salted scrypt hash of the PIN in kiosk.pinHash. */
export async function run(argv: string[]) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { config: { type: 'string', short: 'c' } } });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}`);
    return 64;
  }
  const file = parsed.values.config ?? process.env.RECEPTION_CONFIG;
  const [pin, ...extra] = parsed.positionals;
  if (!file || pin === undefined || extra.length > 0) {
    process.stderr.write(`${file ? '' : 'no config file: give --config FILE (or RECEPTION_CONFIG)\n'}${USAGE}`);
    return 64;
  }
  if (!PIN_PATTERN.test(pin)) {
    process.stderr.write(`mã PIN phải gồm 4–8 chữ số / the kiosk PIN must be 4 to 8 digits (got ${pin.length} character(s))\n${USAGE}`);
    return 64;
  }
  const store = await openConfigStore(file);
  const config = existsSync(file) ? await store.read() : validateConfig({}, file);
  config.kiosk.pinHash = await hashPin(pin);
  await store.write(config);
  process.stderr.write(`kiosk PIN stored as a salted scrypt hash in ${file}; restart the daemon to use it\n`);
  return 0;
}
