import { existsSync } from 'node:fs';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { Value } from '@sinclair/typebox/value';
import { applyEnvOverrides } from '../../common/config/env-overrides.js';
import { HubConfigSchema, type HubConfig } from './schema.js';
import { checkOidcConfig, OidcConfigError } from '../oidc/oidc-client.js';
import { readTurnSecret, TurnConfigError } from '../turn/turn-config.js';
import { readReleaseKey, UpdatesConfigError } from '../updates/update-config.js';
import { originProblem } from '../whip/cors.js';
import { checkS3ArchiveConfig, S3ConfigError } from '../archive/s3-config.js';
import { pgUrlProblem } from '../store/store-url.js';
import { clusterConfigProblems } from '../cluster/cluster-config.js';

export class HubConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: { path: string; message: string }[],
  ) {
    super(`invalid hub config ${file}:\n` + problems.map((p) => `  at ${p.path || '/'}: ${p.message}`).join('\n'));
    this.name = 'HubConfigError';
  }
}

/** Rooms with a shared secret are gone (issue 10): a room is known only by enrollment. */
export const ROOMS_RETIRED =
  'phòng dùng mật khẩu chung không còn được hỗ trợ — hãy đăng ký phòng (enroll) / rooms with a shared secret are no longer supported: remove `rooms` and enroll each room (reception hub enroll-code --room ID, then reception enroll --hub URL --code CODE on the box)';

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
  const copy = structuredClone(raw) as Record<string, unknown>;
  if ('rooms' in copy) {
    if (Array.isArray(copy.rooms) && copy.rooms.length === 0)
      delete copy.rooms; // an old `config init`'s empty list
    else throw new HubConfigError(file, [{ path: '/rooms', message: ROOMS_RETIRED }]);
  }
  const withDefaults = Value.Default(HubConfigSchema, copy);
  const problems = [...Value.Errors(HubConfigSchema, withDefaults)].map((e) => ({
    path: e.path,
    message: `${e.message} (got ${JSON.stringify(e.value)})`,
  }));
  const config = withDefaults as HubConfig;
  if (problems.length === 0) {
    if (config.oidc.enabled) {
      try {
        checkOidcConfig(config.oidc, config.publicUrl); // the province's SSO: what can be checked without asking it
      } catch (err) {
        if (!(err instanceof OidcConfigError)) throw err;
        problems.push({ path: err.path, message: err.message });
      }
    }
  }
  if (problems.length === 0)
    config.allowedOrigins.forEach((o, i) => {
      const problem = originProblem(o); // WHIP/WHEP CORS and the Origin check: a value a browser can send (hub/whip/cors.ts)
      if (problem) problems.push({ path: `/allowedOrigins/${i}`, message: problem });
    });
  if (problems.length === 0) {
    try {
      readTurnSecret(config.turn); // TURN: the shared secret must be there (hub/turn)
    } catch (err) {
      if (!(err instanceof TurnConfigError)) throw err;
      problems.push({ path: err.path, message: err.message });
    }
    try {
      readReleaseKey(config.updates); // updates: the release key must be an Ed25519 key (hub/updates)
    } catch (err) {
      if (!(err instanceof UpdatesConfigError)) throw err;
      problems.push({ path: err.path, message: err.message });
    }
  }
  const storeProblem = problems.length === 0 ? pgUrlProblem(config.store) : undefined; // hub/store: a postgres:// URL or ""
  if (storeProblem) problems.push({ path: '/store', message: storeProblem });
  if (problems.length === 0) {
    try {
      checkS3ArchiveConfig(config.archive); // archive.url s3://…: url, endpoint, credentials file (hub/archive/s3-config.ts)
    } catch (err) {
      if (!(err instanceof S3ConfigError)) throw err;
      problems.push({ path: err.path, message: err.message });
    }
  }
  if (problems.length === 0) problems.push(...clusterConfigProblems(config.cluster, config)); // hub/cluster: needs the shared store
  if (problems.length > 0) throw new HubConfigError(file, problems);
  return config;
}

export interface HubConfigOverrides {
  port?: number;
  /** `--store postgres://…` (hub/store). */
  store?: string;
  /** `--archive s3://bucket/prefix` (hub/archive/s3-config.ts). */
  archive?: string;
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
  if (overrides.store !== undefined) config.store = overrides.store;
  if (overrides.archive !== undefined) config.archive.url = overrides.archive;
  return validateHubConfig(config, file);
}
