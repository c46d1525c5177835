import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError } from '../../../common/errors.js';

/** Maps driver errors and schema failures onto the ErrorReply shape; nothing escapes as a bare 500. */
export function installErrorHandler(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof AppError) {
      const field = 'field' in err ? String((err as { field: unknown }).field) : undefined;
      if (err.statusCode >= 500) req.log.warn({ err: err.message }, 'device error');
      return reply.code(err.statusCode).send({ statusCode: err.statusCode, error: err.name, code: err.code, message: err.message, field });
    }
    if (err.validation) {
      const first = err.validation[0];
      const where = err.validationContext ?? 'body';
      const missing = (first?.params as { missingProperty?: string } | undefined)?.missingProperty;
      const extra = (first?.params as { additionalProperty?: string } | undefined)?.additionalProperty;
      const path = `${where}${first?.instancePath ?? ''}`.replace(/\//g, '.');
      const field = missing ? `${path}.${missing}` : extra ? `${path}.${extra}` : path;
      return reply.code(400).send({ statusCode: 400, error: 'Bad Request', code: 'INVALID_REQUEST', message: `${field}: ${first?.message ?? err.message}`, field });
    }
    if (err.statusCode && err.statusCode < 500) {
      return reply.code(err.statusCode).send({ statusCode: err.statusCode, error: 'Bad Request', code: err.code ?? 'INVALID_REQUEST', message: err.message });
    }
    req.log.error({ err }, 'unexpected error');
    return reply.code(500).send({ statusCode: 500, error: 'Internal Server Error', code: 'INTERNAL', message: err.message });
  });
}
