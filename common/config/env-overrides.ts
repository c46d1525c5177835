import type { TSchema } from '@sinclair/typebox';

// Environment overrides declared on the config schema itself: a field with `env: 'RECEPTION_API_PORT'`
// can be set from that variable (a unit file or a test moves a port or a directory without editing the
// file). The loaders apply every such field and validate afterwards; the reference (docs/CONFIG.md) lists them.

export interface EnvOverride {
  /** The variable, e.g. RECEPTION_API_PORT. */
  env: string;
  /** Where it goes in the config, e.g. ['api', 'port']. */
  path: string[];
  /** The field's JSON type: the variable's text is converted to it. */
  type: string;
}

/** Every field of `schema` (nested objects included, arrays not) that names an env variable. */
export function envOverrides(schema: TSchema, path: string[] = []): EnvOverride[] {
  const here: EnvOverride[] = typeof schema.env === 'string' ? [{ env: schema.env, path, type: String(schema.type ?? 'string') }] : [];
  if (schema.type !== 'object' || !schema.properties) return here;
  const nested = Object.entries(schema.properties as Record<string, TSchema>).flatMap(([k, v]) => envOverrides(v, [...path, k]));
  return [...here, ...nested];
}

/** A variable's text as the field's type; text that is not one is kept, so validation names the field. */
function convert(text: string, type: string): unknown {
  if (type === 'integer' || type === 'number') return Number.isFinite(Number(text)) && text.trim() !== '' ? Number(text) : text;
  if (type === 'boolean') return /^(true|1|yes)$/i.test(text) ? true : /^(false|0|no)$/i.test(text) ? false : text;
  return text;
}

/** A copy of `raw` with every override of `schema` that is set (non-empty) in `env`; missing sections are created. */
export function applyEnvOverrides<T>(schema: TSchema, raw: T, env: NodeJS.ProcessEnv): T {
  const out = structuredClone(raw) as Record<string, unknown>;
  for (const o of envOverrides(schema)) {
    const text = env[o.env];
    if (!text) continue;
    let node = out;
    for (const key of o.path.slice(0, -1)) {
      if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
      node = node[key] as Record<string, unknown>;
    }
    node[o.path[o.path.length - 1]!] = convert(text, o.type);
  }
  return out as T;
}
