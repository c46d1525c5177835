import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { GatewayReply } from '../../../../common/contracts/daemon-api/room.js';
import type { GatewayLink } from '../../gateway-link/gateway-link.js';

/** The gateway as the daemon last saw it: summary plus the gateway's own /state (null when down). */
export const gatewayRoutes: FastifyPluginAsyncTypebox<{ gateway: GatewayLink }> = async (app, { gateway }) => {
  app.get(
    '/gateway',
    {
      config: { role: 'monitor' },
      schema: { tags: ['health'], summary: 'Link to the hub (the gateway process)', response: { 200: GatewayReply } },
    },
    async () => ({ ...gateway.summary(), detail: gateway.detail() }),
  );
};
