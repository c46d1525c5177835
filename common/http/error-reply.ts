import { STATUS_CODES } from 'node:http';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';

// The one error shape of the room daemon and the hub. Clients read `code`, `message`, `field` (400) and
// `offset` (archive uploads, 409/413); `error` is the HTTP reason phrase of `statusCode`.

export const ErrorReply = Type.Object(
  {
    statusCode: Type.Integer(),
    error: Type.String({ description: 'HTTP reason phrase of statusCode ("Not Found", "Conflict", …)' }),
    code: Type.String({
      description:
        "machine-readable reason: INVALID_REQUEST | UNAUTHORIZED | FORBIDDEN | NOT_FOUND | CONFLICT | INTERNAL, or the route's own (DEVICE_UNAVAILABLE, UPLOAD_BUSY, …)",
    }),
    message: Type.String(),
    field: Type.Optional(Type.String({ description: 'the offending request field, for 400' })),
    offset: Type.Optional(Type.Integer({ description: "archive uploads: the hub's current offset (409, 413)" })),
  },
  { $id: 'ErrorReply' },
);
export type ErrorReply = Static<typeof ErrorReply>;

/** `response` entries for the given status codes, all `ErrorReply` (add the schema once with `app.addSchema`). */
export const errorResponses = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, Type.Ref('ErrorReply')]));

const CODES: Record<number, string> = { 400: 'INVALID_REQUEST', 500: 'INTERNAL' };

/** The default `code` of a status: INVALID_REQUEST (400), INTERNAL (500), else the reason phrase in capitals (404 → NOT_FOUND). */
export function codeOfStatus(statusCode: number): string {
  return CODES[statusCode] ?? (STATUS_CODES[statusCode] ?? 'ERROR').toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}

/** The body of an error answer; `error` always matches `statusCode`. */
export function errorBody(statusCode: number, code: string, message: string, extra: { field?: string; offset?: number } = {}): ErrorReply {
  const body: ErrorReply = { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', code, message };
  if (extra.field !== undefined) body.field = extra.field;
  if (extra.offset !== undefined) body.offset = extra.offset;
  return body;
}

/** Answers an error from a handler that returns rather than throws (the reply, for `return sendError(…)`). */
export function sendError(
  reply: FastifyReply,
  statusCode: number,
  code: string,
  message: string,
  extra?: { field?: string; offset?: number },
): FastifyReply {
  if (statusCode === 401) reply.header('www-authenticate', 'Bearer');
  return reply.code(statusCode).send(errorBody(statusCode, code, message, extra));
}
