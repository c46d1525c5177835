import fp from 'fastify-plugin';

// Strict-Transport-Security on every answer the hub gives over TLS: an officer's browser that has been to
// https://hub once never again sends a request (its session cookie included) over plain http to that name,
// even if a network attacker offers one (SSL stripping). One year; not includeSubDomains (other services of
// the province's domain are not ours to decide). Browsers ignore it for IP addresses and plain http.

export const HSTS = 'max-age=31536000';

export const hstsPlugin = fp(
  async (app) => {
    app.addHook('onSend', async (req, reply) => {
      if (req.protocol === 'https') reply.header('strict-transport-security', HSTS);
    });
  },
  { name: 'hub-hsts' },
);
