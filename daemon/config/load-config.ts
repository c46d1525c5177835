import { chmod } from 'node:fs/promises';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { ConfigError } from '../../common/config/config-error.js';
import { readConfigFile } from '../../common/config/config-file.js';
import { applyEnvOverrides } from '../../common/config/env-overrides.js';
import { validateConfig } from '../../common/config/validate-room-config.js';
import { ConfigSchema, type Config } from './schema.js';

export { ConfigError, validateConfig };

/** The config store: lowdb over one JSON file. Only this folder touches lowdb for the room config it writes. */
export async function openConfigStore(file: string) {
  const db = new Low<Record<string, unknown>>(new JSONFile(file), {});
  return {
    async read(): Promise<Config> {
      return validateConfig(await readConfigFile(file), file);
    },
    async write(config: Config): Promise<void> {
      db.data = validateConfig(config, file) as unknown as Record<string, unknown>;
      await db.write();
      await chmod(file, 0o600); // holds camera passwords
    },
  };
}

/**
 * Loads, applies the env overrides the schema declares (`env` on a field: RECEPTION_API_PORT, RECEPTION_STATE_DIR…)
 * and validates once. No file given (and none in env): the embedded default room.
 */
export async function loadConfig(file?: string, env: NodeJS.ProcessEnv = process.env): Promise<Config> {
  const path = file ?? env.RECEPTION_CONFIG;
  const raw = path ? await readConfigFile(path, 'run `reception config init FILE` to write the defaults') : {};
  return validateConfig(applyEnvOverrides(ConfigSchema, raw, env), path ?? '<embedded>');
}
