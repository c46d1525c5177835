import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError } from '../errors.js';
import { codeOfStatus, errorBody } from './error-reply.js';

// One error handler for both servers: every error leaves as ErrorReply with the reason phrase of its own
// status (a 404 says "Not Found", a 409 "Conflict"). Nothing escapes as a bare 500 or a stack trace.

type Thrown = FastifyError & { field?: unknown; offset?: unknown; expose?: boolean; headers?: Record<string, string> };

/** A schema failure → 400 naming the field: `body.cameras.0.driver`. */
function validationField(err: FastifyError): { field: string; message: string } {
  const first = err.validation?.[0];
  const params = first?.params as { missingProperty?: string; additionalProperty?: string } | undefined;
  const path = `${err.validationContext ?? 'body'}${first?.instancePath ?? ''}`.replace(/\//g, '.');
  const field = params?.missingProperty
    ? `${path}.${params.missingProperty}`
    : params?.additionalProperty
      ? `${path}.${params.additionalProperty}`
      : path;
  return { field, message: `${field}: ${first?.message ?? err.message}` };
}

/**
 * AppErrors (common/errors.ts) keep their status and code; @fastify/sensible's HTTP errors and fastify's own
 * 4xx (body too large, bad JSON…) keep their status; anything else is a logged 500 INTERNAL.
 * Unknown routes answer the same shape (404 NOT_FOUND).
 */
export function installErrorHandler(app: FastifyInstance) {
  app.setErrorHandler((err: Thrown, req, reply) => {
    if (err.validation) {
      const v = validationField(err);
      return reply.code(400).send(errorBody(400, 'INVALID_REQUEST', v.message, { field: v.field }));
    }
    const known = err instanceof AppError || err.expose !== undefined; // ours, or an http-errors one (sensible)
    const status = err.statusCode ?? 500;
    if (status >= 500 && !known) {
      req.log.error({ err }, 'unexpected error');
      return reply.code(500).send(errorBody(500, 'INTERNAL', err.message));
    }
    if (status >= 500) req.log.warn({ err: err.message, code: err.code }, 'request failed');
    if (err.headers) reply.headers(err.headers);
    if (status === 401) reply.header('www-authenticate', 'Bearer');
    const field = typeof err.field === 'string' ? err.field : undefined;
    const offset = typeof err.offset === 'number' ? err.offset : undefined;
    return reply.code(status).send(errorBody(status, err.code ?? codeOfStatus(status), err.message, { field, offset }));
  });
  app.setNotFoundHandler((req, reply) => {
    reply.code(404).send(errorBody(404, 'NOT_FOUND', `Route ${req.method}:${req.url.split('?')[0]} not found`));
  });
}
