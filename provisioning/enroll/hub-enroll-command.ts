import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ENROLLMENT_CODES_ROUTE, REGISTRY_REVOKE_ROUTE, RoomId } from '../../common/contracts/enrollment.js';
import { fillRoute, HUB_API } from '../../common/contracts/route.js';
import { Value } from '@sinclair/typebox/value';
import { loadHubConfig } from '../../hub/config/load-config.js';
import { CODES_FILE, createCodeStore, type CodeStore } from '../../hub/enrollment/codes.js';
import { createPgCodeStore } from '../../hub/enrollment/codes-pg.js';
import { openHubStore } from '../../hub/store/hub-store.js';
import { silentLogger } from '../../common/log.js';

export const usage = `Usage: reception hub enroll-code --room ID [--name NAME] [--ttl MINUTES] [--config FILE | --state-dir DIR | --hub URL]
       reception hub revoke --room ID --hub URL [--reason TEXT]

Cấp mã ghi danh dùng một lần cho một phòng (in ra một lần duy nhất), hoặc thu hồi khóa của phòng.
Issue a one-time enrollment code for a room (printed once, never stored), or revoke a room's key.

  enroll-code  into the hub's state dir (--config FILE or --state-dir DIR; a running hub reads it at the
               next enrollment), or through the API of a running hub (--hub URL).
  revoke       through the API (--hub URL): the room's token stops working at once, its signaling is closed.
API calls authenticate with RECEPTION_HUB_TOKEN (an API token with the technician role).

Options:
      --room ID        the room id (a-z, 0-9, -)
      --name NAME      the room's name shown to officers (default: the id)
      --ttl MINUTES    how long the code works (default 60, 5..10080)
  -c, --config FILE    the hub config (its stateDir)
      --state-dir DIR  the hub's state directory
      --hub URL        the hub's base URL, e.g. https://hub:8090
      --reason TEXT    why a key is revoked (kept in the registry and the audit log)
`;

export async function run(argv: string[]): Promise<number> {
  const [action, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      room: { type: 'string' },
      name: { type: 'string' },
      ttl: { type: 'string' },
      config: { type: 'string', short: 'c' },
      'state-dir': { type: 'string' },
      hub: { type: 'string' },
      reason: { type: 'string' },
    },
  });
  if (!values.room || !Value.Check(RoomId, values.room)) return fail('--room ID is required (a-z, 0-9, -)');
  const ttlMinutes = values.ttl === undefined ? 60 : Number(values.ttl);
  if (!Number.isInteger(ttlMinutes) || ttlMinutes < 5 || ttlMinutes > 10_080) return fail('--ttl must be 5..10080 minutes');
  if (action === 'enroll-code') {
    if (values.hub)
      return api(values.hub, 'POST', `${HUB_API}${ENROLLMENT_CODES_ROUTE}`, {
        room: values.room,
        ...(values.name ? { name: values.name } : {}),
        ttlMinutes,
      });
    const config = values['state-dir'] ? undefined : await loadHubConfig(values.config);
    const issue = { room: values.room, name: values.name ?? values.room, ttlMinutes, by: `cli:${userInfo().username}` };
    if (config?.store) return printCode({ room: values.room, ...(await issueIntoDatabase(config.store, issue)) }); // hub nodes on PostgreSQL
    const stateDir = values['state-dir'] ?? config!.stateDir;
    const codes = createCodeStore({ file: join(resolve(stateDir), CODES_FILE) });
    const issued = await codes.issue(issue);
    return printCode({ room: values.room, code: issued.code, expiresAt: issued.expiresAt });
  }
  if (action === 'revoke') {
    if (!values.hub) return fail('revoke goes through the running hub: --hub URL (and RECEPTION_HUB_TOKEN)');
    return api(
      values.hub,
      'POST',
      `${HUB_API}${fillRoute(REGISTRY_REVOKE_ROUTE, { id: values.room })}`,
      values.reason ? { reason: values.reason } : {},
    );
  }
  return fail(`unknown action "${action ?? ''}" (enroll-code | revoke)`);
}

function fail(message: string): number {
  process.stderr.write(`reception hub: ${message}\n\n${usage}`);
  return 2;
}

function printCode(c: { room: string; code: string; expiresAt: string }): number {
  process.stdout.write(`${JSON.stringify(c)}\n`);
  process.stderr.write(
    `Mã ghi danh phòng ${c.room} / enrollment code for ${c.room}: ${c.code} (hết hạn / expires ${c.expiresAt}); trên thiết bị / on the box: reception enroll --hub URL --code ${c.code}\n`,
  );
  return 0;
}

async function api(hub: string, method: string, path: string, body: object): Promise<number> {
  const token = process.env.RECEPTION_HUB_TOKEN;
  if (!token) return fail('RECEPTION_HUB_TOKEN (a technician API token) is required with --hub');
  const res = await fetch(`${new URL(hub).origin}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok) {
    process.stderr.write(
      `reception hub: the hub refused (${res.status} ${String(answer.code ?? '')}): ${String(answer.message ?? res.statusText)}\n`,
    );
    return 1;
  }
  if (typeof answer.code === 'string') return printCode(answer as { room: string; code: string; expiresAt: string });
  process.stdout.write(`${JSON.stringify(answer)}\n`);
  return 0;
}

/** The config's `store` (PostgreSQL, shared by every hub node): the code goes into the database, not a state dir. */
async function issueIntoDatabase(url: string, issue: Parameters<CodeStore['issue']>[0]) {
  const store = await openHubStore(url, silentLogger()); // a clear error naming the (redacted) URL when unreachable
  try {
    const { code, expiresAt } = await createPgCodeStore({ pool: store.pool }).issue(issue);
    return { code, expiresAt };
  } finally {
    await store.close();
  }
}
