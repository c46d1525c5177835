import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { checkAgainst } from './config-error.js';
import { applyEnvOverrides, envOverrides } from './env-overrides.js';

const Schema = Type.Object(
  {
    api: Type.Object(
      { port: Type.Integer({ default: 8080, env: 'X_PORT' }), host: Type.String({ default: 'h', env: 'X_HOST' }) },
      { default: {}, additionalProperties: false },
    ),
    debug: Type.Boolean({ default: false, env: 'X_DEBUG' }),
    list: Type.Array(Type.Object({ n: Type.Integer({ env: 'X_NEVER' }) }), { default: [] }),
  },
  { additionalProperties: false },
);

describe('env overrides declared on the schema', () => {
  it('lists every field with `env`, nested objects included, arrays not', () => {
    expect(envOverrides(Schema)).toEqual([
      { env: 'X_PORT', path: ['api', 'port'], type: 'integer' },
      { env: 'X_HOST', path: ['api', 'host'], type: 'string' },
      { env: 'X_DEBUG', path: ['debug'], type: 'boolean' },
    ]);
  });

  it('sets them in a copy, typed, creating missing sections; empty variables are ignored', () => {
    const raw = { debug: true };
    const out = applyEnvOverrides(Schema, raw, { X_PORT: '9090', X_HOST: '', X_DEBUG: 'false' });
    expect(out).toEqual({ debug: false, api: { port: 9090 } });
    expect(raw).toEqual({ debug: true });
    expect(checkAgainst(Schema, out).value).toEqual({ debug: false, api: { port: 9090, host: 'h' }, list: [] });
  });

  it("a value that is not of the field's type is kept as text, so validation names the field and the value", () => {
    const { problems } = checkAgainst(Schema, applyEnvOverrides(Schema, {}, { X_PORT: 'abc', X_DEBUG: 'maybe' }));
    expect(problems.map((p) => [p.path, p.message])).toEqual([
      ['/api/port', 'Expected integer (got "abc")'],
      ['/debug', 'Expected boolean (got "maybe")'],
    ]);
  });
});
