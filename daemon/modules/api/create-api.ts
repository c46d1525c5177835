import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import sensible from '@fastify/sensible';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import websocket from '@fastify/websocket';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { HealthReply } from '../../../common/contracts/daemon-api/health.js';
import type { Health } from '../../../common/lifecycle.js';
import type { Logger } from '../../../common/log.js';
import type { AccessDeps } from '../access/access.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Devices } from '../devices/create-devices.js';
import type { EventBus } from '../events/event-bus.js';
import { accessPlugin } from './access-plugin.js';
import { installErrorHandler } from '../../../common/http/error-handler.js';
import { strictValidator } from '../../../common/http/strict-validator.js';
import { ErrorReply } from './schemas.js';
import { audioRoutes } from './routes/audio.js';
import { auditRoutes } from './routes/audit.js';
import { cameraRoutes } from './routes/cameras.js';
import { eventRoutes } from './routes/events.js';
import { createHealth } from '../health/create-health.js';
import { healthRoutes } from '../health/health-routes.js';
import { gatewayRoutes } from './routes/gateway.js';
import type { GatewayLink } from '../gateway-link/gateway-link.js';
import { mediaRoutes, type MediaControl } from './routes/media.js';
import { presetRoutes } from './routes/presets.js';
import { bookRoutes } from './routes/book.js';
import type { BookStore } from '../book/book-store.js';
import { hearingRoutes, type HearingRouteDeps } from './routes/hearings.js';
import { kioskPage, kioskRoutes, type KioskRouteDeps } from './routes/kiosk.js';
import { originGuard } from './origin-guard.js';
import { audioFollowRoutes } from '../audio-follow/audio-follow-routes.js';
import type { AudioFollow } from '../audio-follow/create-audio-follow.js';
import { selfTestRoutes } from '../self-test/self-test-routes.js';
import type { SelfTest } from '../self-test/create-self-test.js';

export interface ApiDeps {
  host: string;
  port: number;
  room: { id: string; name: string };
  version: string;
  access: AccessDeps;
  audit: AuditLog;
  devices: Devices;
  bus: EventBus;
  logger: Logger;
  /** The media worker's controls; optional so the API can run (and be tested) without GStreamer. */
  media?: MediaControl & { health(): Health };
  /** The gateway process as last polled; optional (tests, a daemon without a gateway). */
  gateway?: GatewayLink;
  /** The hearings' reception book records; optional (tests, a daemon without keys). */
  book?: BookStore;
  /** The current hearing and its recording; optional (tests, a daemon without them). */
  hearings?: HearingRouteDeps['hearings'];
  recorder?: HearingRouteDeps['recorder'];
  /**
   * The room's health module (modules/health), shared with the fleet reporter; optional: without it,
   * /health shows the devices, media, gateway and recorder given here (tests).
   */
  health?: { snapshot(): HealthReply };
  /** The kiosk's PIN sessions and settings (`/api/v1/kiosk`); optional (tests). The page itself is always served. */
  kiosk?: Omit<KioskRouteDeps, 'room'> & { dir?: string };
  /** The audio-follow camera (`/api/v1/audio-follow`); optional (tests). */
  audioFollow?: Pick<AudioFollow, 'state' | 'setAuto'>;
  /** The room's self-test (`POST /api/v1/self-test`, technician); optional (tests). */
  selfTest?: SelfTest;
}

/** Builds the daemon's HTTP API (not listening yet, so tests can `inject()`). */
export async function buildApi(deps: ApiDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: 64 * 1024,
    trustProxy: false,
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(strictValidator); // bodies as sent: no coercion, unknown fields → 400
  // External plugins first, then ours, then encapsulated routes (convention 7).
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Reception room daemon API',
        description:
          'Camera, audio and health control of one reception room. Tokens: `Authorization: Bearer <token>`; loopback callers get the configured loopback role.',
        version: deps.version,
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(websocket, { options: { maxPayload: 16 * 1024 } });
  await app.register(sensible); // app.httpErrors; the one error handler answers them in the one shape
  app.addSchema(ErrorReply);
  await app.register(originGuard); // Host (DNS rebinding) and Origin (cross-site requests) before any role
  await app.register(accessPlugin, { access: deps.access, audit: deps.audit, kioskSessions: deps.kiosk?.sessions });
  installErrorHandler(app);
  await app.register(swaggerUi, { routePrefix: '/docs' }); // after the auth plugin: /docs needs a role (prefixRoles)

  const health =
    deps.health ??
    createHealth({
      devices: deps.devices,
      room: deps.room,
      version: deps.version,
      media: deps.media,
      gateway: deps.gateway,
      recorder: deps.recorder,
    });
  await app.register(healthRoutes, { prefix: '/api/v1', health });
  await app.register(cameraRoutes, { prefix: '/api/v1/cameras', devices: deps.devices, bus: deps.bus });
  await app.register(presetRoutes, { prefix: '/api/v1/cameras', devices: deps.devices, bus: deps.bus });
  await app.register(audioRoutes, { prefix: '/api/v1/audio', devices: deps.devices });
  await app.register(mediaRoutes, { prefix: '/api/v1/media', media: deps.media });
  if (deps.gateway) await app.register(gatewayRoutes, { prefix: '/api/v1', gateway: deps.gateway });
  if (deps.hearings) await app.register(hearingRoutes, { prefix: '/api/v1', hearings: deps.hearings, recorder: deps.recorder });
  if (deps.book) await app.register(bookRoutes, { prefix: '/api/v1/hearings', book: deps.book });
  if (deps.audioFollow) await app.register(audioFollowRoutes, { prefix: '/api/v1', follow: deps.audioFollow });
  if (deps.selfTest) await app.register(selfTestRoutes, { prefix: '/api/v1', selfTest: deps.selfTest });
  await app.register(eventRoutes, { prefix: '/api/v1', bus: deps.bus });
  await app.register(auditRoutes, { prefix: '/api/v1', audit: deps.audit });
  if (deps.kiosk) await app.register(kioskRoutes, { prefix: '/api/v1', ...deps.kiosk, room: deps.room });
  await app.register(kioskPage, { dir: deps.kiosk?.dir }); // GET /kiosk/ + assets, no auth
  return app;
}

export function createApi(deps: ApiDeps) {
  let app: FastifyInstance | undefined;
  return {
    async start() {
      app = await buildApi(deps);
      await app.listen({ host: deps.host, port: deps.port });
      return app;
    },
    async stop() {
      await app?.close();
    },
    address(): string {
      const a = app?.server.address();
      return a && typeof a === 'object' ? `http://${a.address}:${a.port}` : '';
    },
  };
}
