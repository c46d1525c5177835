import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError } from '../common/errors.js';

/** AppErrors keep their status and code; schema failures become 400 naming the field. */
export function installHubErrorHandler(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof AppError) {
      return reply.code(err.statusCode).send({ statusCode: err.statusCode, error: err.name, code: err.code, message: err.message });
    }
    if (err.validation) {
      const first = err.validation[0];
      const where = err.validationContext ?? 'body';
      const params = first?.params as { missingProperty?: string; additionalProperty?: string } | undefined;
      const path = `${where}${first?.instancePath ?? ''}`.replace(/\//g, '.');
      const field = params?.missingProperty ? `${path}.${params.missingProperty}` : params?.additionalProperty ? `${path}.${params.additionalProperty}` : path;
      return reply.code(400).send({ statusCode: 400, error: 'Bad Request', code: 'INVALID_REQUEST', message: `${field}: ${first?.message ?? err.message}`, field });
    }
    if (err.statusCode && err.statusCode < 500) {
      return reply.code(err.statusCode).send({ statusCode: err.statusCode, error: 'Bad Request', code: err.code ?? 'INVALID_REQUEST', message: err.message });
    }
    req.log.error({ err }, 'unexpected error');
    return reply.code(500).send({ statusCode: 500, error: 'Internal Server Error', code: 'INTERNAL', message: err.message });
  });
}
