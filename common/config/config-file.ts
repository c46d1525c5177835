import { existsSync } from 'node:fs';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { ConfigError } from './config-error.js';

/** The parsed JSON of a config file (lowdb, as the writers use); ConfigError when it is missing or not JSON. */
export async function readConfigFile(file: string, missingHint?: string): Promise<unknown> {
  if (!existsSync(file)) throw new ConfigError(file, [{ path: '/', message: 'file not found', hint: missingHint }]);
  const db = new Low<unknown>(new JSONFile(file), {});
  try {
    await db.read();
  } catch (err) {
    throw new ConfigError(file, [{ path: '/', message: `not valid JSON: ${(err as Error).message}` }]);
  }
  return db.data;
}
