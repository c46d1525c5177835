import { Value, type ValueError } from '@sinclair/typebox/value';
import type { TSchema } from '@sinclair/typebox';

// A config file that does not hold: every problem with its JSON path and a hint a technician can act on.

export interface ConfigProblem {
  path: string;
  message: string;
  hint?: string;
}

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: ConfigProblem[],
  ) {
    super(
      `invalid config ${file}:\n` +
        problems.map((p) => `  at ${p.path || '/'}: ${p.message}${p.hint ? ` (hint: ${p.hint})` : ''}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

/** A schema error as "path + message (got …) + hint" (the choices of a union, a pattern, the field's description). */
export function describeSchemaError(e: ValueError): ConfigProblem {
  const s = e.schema as { description?: string; enum?: unknown[]; anyOf?: { const?: unknown }[]; pattern?: string };
  const choices = s.anyOf?.map((x) => x.const).filter((c) => c !== undefined) ?? s.enum;
  let hint = choices?.length ? `one of ${choices.map((c) => JSON.stringify(c)).join(', ')}` : undefined;
  if (!hint && s.pattern) hint = `must match ${s.pattern}`;
  if (!hint && e.message.startsWith('Unexpected property')) hint = 'remove it or check its spelling';
  if (s.description) hint = hint ? `${hint}; ${s.description}` : s.description;
  return { path: e.path, message: `${e.message} (got ${JSON.stringify(e.value)})`, hint };
}

/** Fills the schema's defaults into a copy of `raw` and lists what still does not hold (one problem per path). */
export function checkAgainst(schema: TSchema, raw: unknown): { value: unknown; problems: ConfigProblem[] } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { value: raw, problems: [{ path: '/', message: 'the config must be a JSON object' }] };
  const value = Value.Default(schema, structuredClone(raw)) as unknown;
  const seen = new Set<string>();
  const problems = [...Value.Errors(schema, value)].map(describeSchemaError).filter((p) => !seen.has(p.path) && seen.add(p.path));
  return { value, problems };
}
