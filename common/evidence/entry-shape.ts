import { Value } from '@sinclair/typebox/value';
import { ENTRY_SCHEMAS } from './entry-schema.js';

// The first problem of an entry against its kind's TypeBox schema (entry-schema.ts), named the way
// verifyChain reports it, or undefined when the entry is well-formed. Order: unknown kind, then the
// required fields in schema order (chain fields first), then optional ones, then unknown fields.

export function shapeProblem(entry: Record<string, unknown>): string | undefined {
  const kind = entry.kind;
  const schema =
    typeof kind === 'string' && Object.hasOwn(ENTRY_SCHEMAS, kind) ? ENTRY_SCHEMAS[kind as keyof typeof ENTRY_SCHEMAS] : undefined;
  if (!schema) return `unknown kind ${JSON.stringify(kind)}`;
  const fields = Object.entries(schema.properties);
  const required = new Set(schema.required ?? []);
  for (const [name, s] of fields)
    if (required.has(name) && !Value.Check(s, entry[name])) return `${kind}: field "${name}" missing or malformed`;
  // A present optional field must be valid, `undefined` included (JSON never has one; in memory it is a bug).
  for (const [name, s] of fields)
    if (!required.has(name) && Object.hasOwn(entry, name) && !Value.Check(s, entry[name])) return `${kind}: field "${name}" malformed`;
  // Unknown fields would be covered by the hash, but a strict shape keeps the format honest.
  const extra = Object.keys(entry).find((k) => !Object.hasOwn(schema.properties, k));
  if (extra) return `${kind}: unexpected field "${extra}"`;
  return undefined;
}
