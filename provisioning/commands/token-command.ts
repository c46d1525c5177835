import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { openConfigStore } from '../../daemon/config/load-config.js';
import { ROLES, type Role } from '../../daemon/config/schema.js';
import { hashToken } from '../../daemon/modules/access/access.js';

export const usage = `Usage: reception token add NAME (${ROLES.join('|')}) --config FILE

Tạo mã truy cập API của phòng: chỉ lưu mã băm, mã được in ra một lần duy nhất.
Create an API token for the room: only its hash is stored; the token is printed once, now.

Options:
  -c, --config FILE   the room config that stores the token's hash (required)
  -h, --help          this help
`;

/** Creates a token, stores only its hash, prints the token once. */
export async function run(argv: string[]) {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { config: { type: 'string', short: 'c' } } });
  const [action, name, role] = positionals;
  if (action !== 'add' || !name || !ROLES.includes(role as Role) || !values.config) {
    process.stderr.write(`Usage: reception token add NAME (${ROLES.join('|')}) --config FILE\n`);
    return 2;
  }
  const store = await openConfigStore(values.config);
  const config = await store.read();
  const token = randomBytes(24).toString('base64url');
  config.access.tokens = config.access.tokens.filter((t) => t.name !== name);
  config.access.tokens.push({ name, role: role as Role, sha256: hashToken(token) });
  await store.write(config);
  process.stdout.write(`${token}\n`);
  process.stderr.write(`token for ${name} (${role}) stored as a hash in ${values.config}; it is shown only now\n`);
  return 0;
}
