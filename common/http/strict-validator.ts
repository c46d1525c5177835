import { Kind, type TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { ValueErrorType, type ValueError } from '@sinclair/typebox/errors';
import { Value } from '@sinclair/typebox/value';
import type { FastifySchemaCompiler } from 'fastify';

// The one request validator of both servers (installed with `app.setValidatorCompiler(strictValidator)`):
// a route's request is checked by its TypeBox schema itself, as the sender built it. fastify's default
// ajv runs with coerceTypes and removeAdditional: it turned the null of every Integer|Null or String|Null
// field into 0 or "" (an idle room's "minutes of recording left", null, reached the console as 0), took
// 12345 for the title "12345", and dropped unknown fields silently. Here the body is never converted and
// every object of a body is closed: an unknown field is a 400 naming it (`body.colour`). Params,
// querystring and headers are converted (they arrive as strings). Defaults are filled in everywhere.

/** Into a union: the error of the variant that got furthest (its first error lies deepest), so a 400 names
 *  `body.disk.freeMb`, not `body.disk`. */
function deepest(e: ValueError): ValueError {
  if (e.type !== ValueErrorType.Union) return e;
  let best = e;
  for (const variant of e.errors) {
    const first = variant.First();
    if (!first) continue;
    const d = deepest(first);
    if (d.path.length > best.path.length) best = d;
  }
  return best;
}

/** A copy of a body schema whose objects refuse unknown fields (those that say nothing about them; an
 *  intersection's parts are left open, each sees only its own fields). */
function closed<T>(schema: T, inAllOf = false): T {
  if (Array.isArray(schema)) return schema.map((s) => closed(s, inAllOf)) as T;
  if (!schema || typeof schema !== 'object') return schema;
  const src = schema as Record<string | symbol, unknown>;
  const out: Record<string | symbol, unknown> = {};
  for (const key of Reflect.ownKeys(src)) out[key] = key === 'allOf' ? closed(src[key], true) : closed(src[key], false);
  if (src.type === 'object' && src.additionalProperties === undefined && !inAllOf) out.additionalProperties = false;
  return out as T;
}

/** The validator compiler of both servers (every route's request parts are TypeBox schemas). */
export function strictValidator({ schema, httpPart }: { schema: unknown; httpPart?: string }): ReturnType<FastifySchemaCompiler<unknown>> {
  if (!(schema && typeof schema === 'object' && Kind in schema)) throw new Error(`${httpPart ?? 'request'} schema is not a TypeBox schema`);
  const isBody = httpPart === 'body';
  const type = isBody ? closed(schema as TSchema) : (schema as TSchema);
  const check = TypeCompiler.Compile(type);
  return (input: unknown) => {
    const value = Value.Default(type, isBody ? input : Value.Convert(type, input));
    if (check.Check(value)) return { value };
    const e = deepest(check.Errors(value).First()!);
    return {
      error: [{ keyword: ValueErrorType[e.type] ?? 'type', instancePath: e.path, schemaPath: '#', params: {}, message: e.message }],
    };
  };
}
