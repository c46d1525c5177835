import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { GatewayLinkSummary, type GatewayLink } from '../../gateway-link/gateway-link.js';

/** The gateway as the daemon last saw it: summary plus the gateway's own /state (null when down). */
export const gatewayRoutes: FastifyPluginAsyncTypebox<{ gateway: GatewayLink }> = async (app, { gateway }) => {
  app.get('/gateway', {
    config: { role: 'monitor' },
    schema: {
      tags: ['health'],
      summary: 'Link to the hub (the gateway process)',
      response: {
        200: Type.Object({
          ...GatewayLinkSummary.properties,
          detail: Type.Union([Type.Object({}, { additionalProperties: true, description: "the gateway's GET /state: hearing, remote participants, counters" }), Type.Null()]),
        }),
      },
    },
  }, async () => ({ ...gateway.summary(), detail: gateway.detail() }));
};
