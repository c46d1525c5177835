import { parseArgs } from 'node:util';
import { HubConfigError } from '../../hub/config/load-config.js';
import { runHub } from '../../hub/main.js';
import { HubStoreError } from '../../hub/store/hub-store.js';

export const usage = `Usage: reception hub [--config FILE] [--port N]

Chạy điểm tiếp công dân trung tâm: phiên họp nhiều phòng, kho lưu trữ, bàn điều khiển cán bộ.
Run the central hub: multipoint hearings (SFU, WHIP/WHEP), the archive, the officers' console.
Prints {"ready":true,"url":…} on stdout once it listens.

Options:
  -c, --config FILE   the hub config (default: built-in defaults)
  -p, --port N        listen on port N (0: any free port)
  --store URL         the hub's state in PostgreSQL, postgres://USER:PASSWORD@HOST:PORT/DB (config \`store\`;
                      migrated at start; unreachable → exit 1 naming the URL, password hidden)
  --archive URL       the archive in S3-compatible storage, s3://BUCKET[/PREFIX] (config \`archive.url\`; endpoint,
                      region, credentials: \`archive.s3\`); storage unreachable → uploads answer 503, rooms retry
  -h, --help          this help

Exit code 78: bad config (the field is named), e.g. plain http (tls.mode "off") on a non-loopback address, or
  rooms with a shared secret (\`rooms\`: enroll each room instead).

HTTPS / TLS (config \`tls\`): trên mạng chỉ HTTPS / on a network the hub serves HTTPS only — the province's
  certificate (tls.mode "files": certFile, keyFile, caFile) or its own CA in <stateDir>/tls/ (created on first
  start; back it up). Loopback only: plain http. Rooms get the CA at enrollment; browsers install it from
  https://HUB:PORT/api/v1/tls/ca after comparing the fingerprint in the ready line ("tls":{"caSha256":…}).

Người dùng / People (local accounts, <stateDir>/accounts.json; the running hub picks changes up):
  reception hub user add NAME --role ROLE[,ROLE…] [--totp] [--password-file F]
  reception hub user passwd NAME [--totp] [--password-file F] | user remove NAME | user list
  each with [--config FILE | --state-dir DIR]. Roles: officer, supervisor, archivist, technician, monitor,
  metrics. The password is asked twice without echo (or the first line of F, or a piped stdin), ≥ 12
  characters; --totp prints an otpauth:// URI to scan into an authenticator app.

Mã API / API tokens (hashes in the config's \`tokens\`; restart the hub): reception hub token add NAME
  --role ROLE[,ROLE…] --config FILE (prints the token once) | token list | token remove NAME.
Cơ sở dữ liệu / Database schema: reception hub migrate [--store URL | --config FILE] (hub/store/README.md).
Nhật ký kiểm toán / Audit log: reception hub audit verify [--config FILE | --state-dir DIR] (exit 1: broken).

Rooms join by enrollment only: reception hub enroll-code --room ID … | reception hub revoke --room ID --hub URL (see their --help).
Sổ đăng ký có chữ ký / Signed registry export (for reception verify --registry): reception hub registry-export
  [--config FILE | --state-dir DIR] [--out FILE].
`;

// `reception hub [--config FILE] [--port N]`: the central hub (prints {"ready":true,"url":...}).
export async function run(argv: string[]) {
  if (argv[0] === 'user') return (await import('../../hub/accounts/user-command.js')).runUserCommand(argv.slice(1)); // P1: local accounts
  if (argv[0] === 'token') return (await import('../../hub/auth/token-command.js')).runTokenCommand(argv.slice(1)); // P2: API tokens
  if (argv[0] === 'migrate') return (await import('../../hub/store/migrate-command.js')).runMigrateCommand(argv.slice(1)); // issue 14: PostgreSQL schema
  if (argv[0] === 'audit') return (await import('../../hub/audit/audit-command.js')).runAuditCommand(argv.slice(1)); // P2: audit log
  if (argv[0] === 'enroll-code' || argv[0] === 'revoke') return (await import('../enroll/hub-enroll-command.js')).run(argv); // R1: the registry
  if (argv[0] === 'registry-export')
    return (await import('../../hub/archive/registry-export-command.js')).runRegistryExportCommand(argv.slice(1)); // R2
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string', short: 'c' },
      port: { type: 'string', short: 'p' },
      store: { type: 'string' },
      archive: { type: 'string' },
    },
  });
  const int = (v: string | undefined, name: string, min: number) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min} (got "${v}")`);
    return n;
  };
  try {
    await runHub({ configFile: values.config, port: int(values.port, 'port', 0), store: values.store, archive: values.archive });
  } catch (err) {
    if (err instanceof HubStoreError) {
      process.stderr.write(`${err.message}\n`);
      return 1; // the database: unreachable at start, or a migration failed (named)
    }
    if (err instanceof HubConfigError) {
      process.stderr.write(`${err.message}\n`);
      return 78; // EX_CONFIG
    }
    throw err;
  }
}
