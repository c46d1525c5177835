import { checkAgainst, ConfigError } from './config-error.js';
import { withoutRoomSecret } from './room-config.js';
import { crossFieldProblems } from './room-cross-field.js';
import { presetNamesAsLists } from './preset-names.js';
import { ConfigSchema, type Config } from './room-schema.js';

// The room config's whole check, in common/ so the hub refuses a pushed config (hub/fleet-ops) by the very
// rules the daemon loads it with (daemon/config/load-config.ts): schema, then what the schema cannot say.

/** Validates a raw object (already parsed JSON): fills defaults, applies nothing else. Throws ConfigError. */
export function validateConfig(raw: unknown, file = '<embedded>'): Config {
  const retired = withoutRoomSecret(raw); // shared room secrets are gone: enrollment only
  if (retired.problem) throw new ConfigError(file, [retired.problem]);
  const { value, problems } = checkAgainst(ConfigSchema, presetNamesAsLists(retired.raw));
  if (problems.length === 0) problems.push(...crossFieldProblems(value as Config));
  if (problems.length > 0) throw new ConfigError(file, problems);
  return value as Config;
}
