import type { TSchema } from '@sinclair/typebox';
import { ConfigSchema } from './schema.js';

// The configuration reference is generated from the schema, so it cannot drift from the code.

interface Row {
  path: string;
  type: string;
  def: string;
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
  if (path) rows.push({ path, type: typeOf(s), def: def.length > 60 ? '(see below)' : def, description: s.description ?? '' });
  if (s.type === 'object' && s.properties) {
    for (const [k, v] of Object.entries(s.properties as Record<string, TSchema>)) walk(v, path ? `${path}.${k}` : k, rows);
  }
  if (s.type === 'array' && (s.items as TSchema).type === 'object') walk(s.items as TSchema, `${path}[]`, rows);
}

export function configReference(): string {
  const rows: Row[] = [];
  walk(ConfigSchema, '', rows);
  const cell = (t: string) => t.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return [
    '| key | type | default | description |',
    '| --- | --- | --- | --- |',
    ...rows.map((r) => `| \`${r.path}\` | ${r.type} | ${r.def ? `\`${cell(r.def)}\`` : ''} | ${cell(r.description)} |`),
  ].join('\n');
}
