import type { TSchema } from '@sinclair/typebox';
import { envOverrides } from './env-overrides.js';

// A config reference generated from a TypeBox schema (docs/CONFIG.md), so it cannot drift from the code:
// every key with its type, default, env variable and description.

interface Row {
  path: string;
  type: string;
  def: string;
  env: string;
  description: string;
}

function typeOf(s: TSchema): string {
  if (s.anyOf) return (s.anyOf as TSchema[]).map((x) => (x.const !== undefined ? JSON.stringify(x.const) : typeOf(x))).join(' \\| ');
  if (s.enum) return (s.enum as unknown[]).map((e) => JSON.stringify(e)).join(' \\| ');
  if (s.type === 'array') return `${typeOf(s.items as TSchema)}[]`;
  if (s.type === 'object' && s.patternProperties) return 'map';
  return String(s.type ?? 'value');
}

function walk(s: TSchema, path: string, rows: Row[]) {
  const def = s.default === undefined ? '' : JSON.stringify(s.default);
  if (path)
    rows.push({
      path,
      type: typeOf(s),
      def: def.length > 60 ? '(see below)' : def,
      env: typeof s.env === 'string' ? s.env : '',
      description: s.description ?? '',
    });
  if (s.type === 'object' && s.properties) {
    for (const [k, v] of Object.entries(s.properties as Record<string, TSchema>)) walk(v, path ? `${path}.${k}` : k, rows);
  }
  if (s.type === 'array' && (s.items as TSchema).type === 'object') walk(s.items as TSchema, `${path}[]`, rows);
}

const cell = (t: string) => t.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The Markdown table of every key of `schema`. */
export function schemaReference(schema: TSchema): string {
  const rows: Row[] = [];
  walk(schema, '', rows);
  return [
    '| key | type | default | env | description |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| \`${r.path}\` | ${r.type} | ${r.def ? `\`${cell(r.def)}\`` : ''} | ${r.env ? `\`${r.env}\`` : ''} | ${cell(r.description)} |`,
    ),
  ].join('\n');
}

/** "`RECEPTION_API_HOST` (`api.host`), …": the env overrides `schema` declares. */
export function envList(schema: TSchema): string {
  return envOverrides(schema)
    .map((o) => `\`${o.env}\` (\`${o.path.join('.')}\`)`)
    .join(', ');
}
