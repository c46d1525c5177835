import { existsSync } from 'node:fs';
import { chmod } from 'node:fs/promises';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { Value } from '@sinclair/typebox/value';
import { ConfigSchema, type Config } from './schema.js';
import { crossFieldProblems, describeSchemaError } from './config-errors.js';

export class ConfigError extends Error {
  constructor(readonly file: string, readonly problems: { path: string; message: string; hint?: string }[]) {
    super(
      `invalid config ${file}:\n` +
        problems.map((p) => `  at ${p.path || '/'}: ${p.message}${p.hint ? ` (hint: ${p.hint})` : ''}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

/** Validates a raw object (already parsed JSON): fills defaults, applies nothing else. Throws ConfigError. */
export function validateConfig(raw: unknown, file = '<embedded>'): Config {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError(file, [{ path: '/', message: 'the config must be a JSON object' }]);
  }
  const withDefaults = Value.Default(ConfigSchema, structuredClone(raw)) as unknown;
  const problems = [...Value.Errors(ConfigSchema, withDefaults)].map(describeSchemaError);
  if (problems.length === 0) problems.push(...crossFieldProblems(withDefaults as Config));
  if (problems.length > 0) throw new ConfigError(file, dedupe(problems));
  return withDefaults as Config;
}

function dedupe<T extends { path: string }>(list: T[]): T[] {
  const seen = new Set<string>();
  return list.filter((p) => !seen.has(p.path) && seen.add(p.path));
}

/** Environment overrides for ports and paths, so a unit file or test can move them without editing the file. */
export function applyEnv(config: Config, env: NodeJS.ProcessEnv = process.env): Config {
  const out = structuredClone(config);
  if (env.RECEPTION_API_HOST) out.api.host = env.RECEPTION_API_HOST;
  if (env.RECEPTION_API_PORT) out.api.port = Number(env.RECEPTION_API_PORT);
  if (env.RECEPTION_STATE_DIR) out.paths.state = env.RECEPTION_STATE_DIR;
  if (env.RECEPTION_GATEWAY_PORT) out.gateway.port = Number(env.RECEPTION_GATEWAY_PORT);
  if (env.RECEPTION_RECORDINGS_DIR) out.paths.recordings = env.RECEPTION_RECORDINGS_DIR;
  return out;
}

/** The config store: lowdb over one JSON file. Only this folder touches lowdb for config. */
export async function openConfigStore(file: string) {
  const db = new Low<Record<string, unknown>>(new JSONFile(file), {});
  return {
    async read(): Promise<Config> {
      try {
        await db.read();
      } catch (err) {
        throw new ConfigError(file, [{ path: '/', message: `not valid JSON: ${(err as Error).message}` }]);
      }
      return validateConfig(db.data, file);
    },
    async write(config: Config): Promise<void> {
      db.data = validateConfig(config, file) as unknown as Record<string, unknown>;
      await db.write();
      await chmod(file, 0o600); // holds camera passwords
    },
  };
}

/** Loads, validates once and applies env overrides. No file given (and none in env): the embedded default room. */
export async function loadConfig(file?: string, env: NodeJS.ProcessEnv = process.env): Promise<Config> {
  const path = file ?? env.RECEPTION_CONFIG;
  if (!path) return validateConfig(applyEnv(validateConfig({}), env));
  if (!existsSync(path)) throw new ConfigError(path, [{ path: '/', message: 'file not found', hint: 'run `reception config init FILE` to write the defaults' }]);
  const config = await (await openConfigStore(path)).read();
  return validateConfig(applyEnv(config, env), path);
}
