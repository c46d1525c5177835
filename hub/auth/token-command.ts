import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { sha256Hex } from '../../common/http/credentials.js';
import { validateHubConfig } from '../config/load-config.js';
import { PEOPLE_ROLES, type PersonRole } from './identity.js';

export const usage = `Usage: reception hub token add NAME --role ROLE[,ROLE…] --config FILE
       reception hub token list --config FILE
       reception hub token remove NAME --config FILE

Tạo mã API của trung tâm (cho công cụ, Prometheus…): chỉ lưu mã băm SHA-256 trong cấu hình; mã được in ra một lần.
Create a hub API token (scripts, WHIP/WHEP tools, Prometheus): only its SHA-256 goes into the hub config
(\`tokens\`); the token is printed once, now. Roles: ${PEOPLE_ROLES.join(', ')} (Prometheus: --role metrics).
The hub reads its config at start: restart it for the change to apply.
`;

type Raw = { tokens?: { name: string; sha256: string; roles: PersonRole[] }[] } & Record<string, unknown>;

function write(file: string, raw: Raw) {
  validateHubConfig(raw, file); // throws HubConfigError naming the field: nothing written
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(raw, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  renameSync(tmp, file);
}

export async function runTokenCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { config: { type: 'string', short: 'c' }, role: { type: 'string' } },
  });
  const [action, name] = positionals;
  if (!values.config || !['add', 'list', 'remove'].includes(action ?? '') || (action !== 'list' && !name)) {
    process.stderr.write(usage);
    return 2;
  }
  const file = values.config;
  const raw: Raw = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  const tokens = raw.tokens ?? [];
  if (action === 'list') {
    for (const t of tokens) process.stdout.write(`${t.name}\t${t.roles.join(',')}\n`);
    return 0;
  }
  if (action === 'remove') {
    if (!tokens.some((t) => t.name === name)) {
      process.stderr.write(`no token named "${name}" in ${file}\n`);
      return 1;
    }
    write(file, { ...raw, tokens: tokens.filter((t) => t.name !== name) });
    process.stderr.write(`token "${name}" removed from ${file}; restart the hub\n`);
    return 0;
  }
  const roles = (values.role ?? '').split(',').filter(Boolean);
  const bad = roles.filter((r) => !(PEOPLE_ROLES as readonly string[]).includes(r));
  if (!roles.length || bad.length) {
    process.stderr.write(`--role: one or more of ${PEOPLE_ROLES.join(', ')} (got "${values.role ?? ''}")\n`);
    return 2;
  }
  const token = randomBytes(24).toString('base64url');
  const entry = { name: name!, sha256: sha256Hex(token), roles: roles as PersonRole[] };
  write(file, { ...raw, tokens: [...tokens.filter((t) => t.name !== name), entry] });
  process.stdout.write(`${token}\n`);
  process.stderr.write(`token "${name}" (${roles.join(', ')}) stored as a hash in ${file}; it is shown only now; restart the hub\n`);
  return 0;
}
