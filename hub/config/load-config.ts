import { existsSync } from 'node:fs';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { Value } from '@sinclair/typebox/value';
import { applyEnvOverrides } from '../../common/config/env-overrides.js';
import { HubConfigSchema, DEMO_ROOM_SECRET, type HubConfig, type RoomEntry } from './schema.js';
import { sha256Hex } from './auth.js';
import { checkOidcConfig, OidcConfigError } from '../oidc/oidc-client.js';

export class HubConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: { path: string; message: string }[],
  ) {
    super(`invalid hub config ${file}:\n` + problems.map((p) => `  at ${p.path || '/'}: ${p.message}`).join('\n'));
    this.name = 'HubConfigError';
  }
}

/** Fills defaults and validates once; throws HubConfigError naming the path of each bad field. */
export function validateHubConfig(raw: unknown, file = '<embedded>'): HubConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new HubConfigError(file, [{ path: '/', message: 'the config must be a JSON object' }]);
  if ('officers' in raw)
    throw new HubConfigError(file, [
      {
        path: '/officers',
        message: 'replaced by `tokens`: [{"name": …, "sha256": …, "roles": ["officer"]}] (issue 10: roles per token)',
      },
    ]);
  const withDefaults = Value.Default(HubConfigSchema, structuredClone(raw));
  const problems = [...Value.Errors(HubConfigSchema, withDefaults)].map((e) => ({
    path: e.path,
    message: `${e.message} (got ${JSON.stringify(e.value)})`,
  }));
  const config = withDefaults as HubConfig;
  if (problems.length === 0) {
    const seen = new Set<string>();
    config.rooms.forEach((r, i) => {
      if (seen.has(r.id)) problems.push({ path: `/rooms/${i}/id`, message: `duplicate room id "${r.id}"` });
      seen.add(r.id);
    });
    if (config.oidc.enabled) {
      try {
        checkOidcConfig(config.oidc, config.publicUrl); // the province's SSO: what can be checked without asking it
      } catch (err) {
        if (!(err instanceof OidcConfigError)) throw err;
        problems.push({ path: err.path, message: err.message });
      }
    }
  }
  if (problems.length > 0) throw new HubConfigError(file, problems);
  return config;
}

/** Demo rooms: room 1 is the embedded `room-demo` (secret demo-room-secret), room n ≥ 2 is `room-<n>` with secret `demo-room-secret-<n>`. */
export function demoRooms(count: number): RoomEntry[] {
  return Array.from({ length: count }, (_, i) =>
    i === 0
      ? { id: 'room-demo', name: 'Phòng tiếp công dân 1 (mô phỏng)', secretSha256: sha256Hex(DEMO_ROOM_SECRET) }
      : { id: `room-${i + 1}`, name: `Phòng tiếp công dân ${i + 1} (mô phỏng)`, secretSha256: sha256Hex(`${DEMO_ROOM_SECRET}-${i + 1}`) },
  );
}

export interface HubConfigOverrides {
  port?: number;
  rooms?: number;
}

/** Loads FILE (lowdb) or the embedded default, applies the schema's env overrides and the command line's, validates. */
export async function loadHubConfig(
  file?: string,
  overrides: HubConfigOverrides = {},
  env: NodeJS.ProcessEnv = process.env,
): Promise<HubConfig> {
  let raw: Record<string, unknown> = {};
  if (file) {
    if (!existsSync(file)) throw new HubConfigError(file, [{ path: '/', message: 'file not found' }]);
    const db = new Low<Record<string, unknown>>(new JSONFile(file), {});
    try {
      await db.read();
    } catch (err) {
      throw new HubConfigError(file, [{ path: '/', message: `not valid JSON: ${(err as Error).message}` }]);
    }
    raw = db.data;
  }
  const config = validateHubConfig(applyEnvOverrides(HubConfigSchema, raw, env), file); // RECEPTION_HUB_PORT… (`env` on the schema)
  if (overrides.port !== undefined) config.port = overrides.port;
  if (overrides.rooms !== undefined) config.rooms = demoRooms(overrides.rooms);
  return validateHubConfig(config, file);
}
