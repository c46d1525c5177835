import { X509Certificate } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses, sendError } from '../../common/http/error-reply.js';

// GET /api/v1/tls/ca: the CA that signs the hub's certificate, for a browser or a workstation to install
// (public: a CA certificate is no secret; its SHA-256 fingerprint is in the header, to compare by phone
// with the one the hub printed at start). `?format=der` answers the .crt form Windows and Android take.

export const TLS_CA_ROUTE = '/tls/ca';

export const tlsRoutes: FastifyPluginAsyncTypebox<{ caPem?: string }> = async (app, { caPem }) => {
  const ca = caPem ? new X509Certificate(caPem) : undefined;
  const der = ca?.raw;
  app.get(
    TLS_CA_ROUTE,
    {
      config: { role: 'public' },
      schema: {
        tags: ['tls'],
        summary: "The hub's CA certificate (PEM, or DER with ?format=der) — to install in browsers",
        querystring: Type.Object({ format: Type.Optional(Type.Union([Type.Literal('pem'), Type.Literal('der')])) }),
        response: { 200: Type.Unknown({ description: 'PEM text (DER bytes with ?format=der)' }), ...errorResponses(400, 404) },
      },
    },
    async (req, reply) => {
      if (!caPem || !der)
        return sendError(
          reply,
          404,
          'NO_HUB_CA',
          'Máy chủ không có CA riêng (không dùng TLS, hoặc dùng chứng thư của tỉnh có sẵn trong kho hệ thống) / this hub has no CA of its own to hand out (no TLS, or a province certificate trusted through the system store)',
        );
      reply.header('x-ca-sha256', ca!.fingerprint256).header('cache-control', 'no-cache');
      if (req.query.format === 'der')
        return reply
          .type('application/x-x509-ca-cert')
          .header('content-disposition', 'attachment; filename="reception-hub-ca.crt"')
          .send(der);
      return reply.type('application/x-pem-file').header('content-disposition', 'attachment; filename="reception-hub-ca.pem"').send(caPem);
    },
  );
};
