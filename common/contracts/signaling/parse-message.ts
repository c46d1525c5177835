import type { TSchema, Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ClientMessage, HubMessage, MAX_SIGNAL_MESSAGE_BYTES } from './messages.js';

export type Parsed<T> = { ok: true; msg: T } | { ok: false; code: 'TOO_LARGE' | 'BAD_JSON' | 'BAD_MESSAGE'; message: string };

/** Size, JSON and schema checks in one place, so both ends refuse bad input the same way. */
function parse<S extends TSchema>(schema: S, raw: string | Buffer): Parsed<Static<S>> {
  const size = typeof raw === 'string' ? Buffer.byteLength(raw) : raw.length;
  if (size > MAX_SIGNAL_MESSAGE_BYTES)
    return { ok: false, code: 'TOO_LARGE', message: `message of ${size} bytes exceeds ${MAX_SIGNAL_MESSAGE_BYTES}` };
  let data: unknown;
  try {
    data = JSON.parse(String(raw));
  } catch (err) {
    return { ok: false, code: 'BAD_JSON', message: `not JSON: ${(err as Error).message}` };
  }
  if (Value.Check(schema, data)) return { ok: true, msg: data as Static<S> };
  const type = (data as { type?: unknown })?.type;
  const first = [...Value.Errors(schema, data)].find((e) => e.path !== '') ?? Value.Errors(schema, data).First();
  return {
    ok: false,
    code: 'BAD_MESSAGE',
    message: `invalid ${typeof type === 'string' ? `"${type}" ` : ''}message${first ? ` at ${first.path || '/'}: ${first.message}` : ''}`,
  };
}

export const parseClientMessage = (raw: string | Buffer) => parse(ClientMessage, raw);
export const parseHubMessage = (raw: string | Buffer) => parse(HubMessage, raw);
