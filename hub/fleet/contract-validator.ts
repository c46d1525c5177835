import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { ValueErrorType, type ValueError } from '@sinclair/typebox/errors';
import { Value } from '@sinclair/typebox/value';
import type { FastifySchemaCompiler } from 'fastify';

// A route's request checked by its TypeBox contract itself, as the sender built it. fastify's ajv runs
// with coerceTypes: it turned the null of every Integer|Null or String|Null field into 0 or "" (an idle
// room's "minutes of recording left", null, reached the console as 0 and showed in red) and took "5"
// for 5. The body is never converted; params and querystring are (they arrive as strings).

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

/** A route's `validatorCompiler` (its request parts are TypeBox schemas). */
export function contractValidator({
  schema,
  httpPart,
}: {
  schema: unknown;
  httpPart?: string;
}): ReturnType<FastifySchemaCompiler<unknown>> {
  const type = schema as TSchema;
  const check = TypeCompiler.Compile(type);
  return (input: unknown) => {
    const value = httpPart === 'body' ? input : Value.Convert(type, input);
    if (check.Check(value)) return { value };
    const e = deepest(check.Errors(value).First()!);
    return {
      error: [{ keyword: ValueErrorType[e.type] ?? 'type', instancePath: e.path, schemaPath: '#', params: {}, message: e.message }],
    };
  };
}
