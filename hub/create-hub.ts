import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import sensible from '@fastify/sensible';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import websocket from '@fastify/websocket';
import fastifyStatic from '@fastify/static';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ARCHIVE_PREFIX } from '../common/contracts/archive.js';
import { HUB_API } from '../common/contracts/route.js';
import { MAX_SIGNAL_MESSAGE_BYTES } from '../common/contracts/signaling/messages.js';
import type { Logger } from '../common/log.js';
import { VERSION } from '../common/version.js';
import { authPlugin } from '../common/http/auth-plugin.js';
import { installErrorHandler } from '../common/http/error-handler.js';
import { strictValidator } from '../common/http/strict-validator.js';
import { ErrorReply } from '../common/http/error-reply.js';
import { hubAuth } from './auth/hub-auth.js';
import { auditRefusals } from './auth/audit-hooks.js';
import { hubGuards } from './auth/guards.js';
import type { PersonRole, SessionLookup } from './auth/identity.js';
import { createOriginPolicy } from './auth/origin-policy.js';
import type { HubAuthDeps } from './auth/resolve-caller.js';
import { ticketRoutes } from './auth/ticket-routes.js';
import { createTickets } from './auth/tickets.js';
import { auditRoutes } from './audit/audit-routes.js';
import type { ArchiveConfig, IceConfig, TokenEntry } from './config/schema.js';
import { createArchive, defaultKeyFile } from './archive/create-archive.js';
import { readRoutes } from './archive/read-routes.js';
import { uploadRoutes } from './archive/upload-routes.js';
import { registryExportRoutes } from './archive/registry-export.js';
import { hearingRoutes } from './hearings/hearing-routes.js';
import { createConference } from './sfu/conference.js';
import type { MediaConfig } from './janus/media-config.js';
import { openMediaPlane } from './janus/open-media-plane.js';
import { hubPeerConfig } from './sfu/peer-config.js';
import { registerSfuMetrics } from './sfu/stats.js';
import { createMetricsRegistry } from '../common/metrics/registry.js';
import { watchEventLoop } from '../common/process/event-loop-watch.js';
import { signalRoutes } from './signaling/signal-route.js';
import { whipRoutes } from './whip/whip-routes.js';
import { registerFleetMetrics } from './fleet/fleet-metrics.js';
import { fleetOfficerRoutes, fleetReportRoutes } from './fleet/fleet-routes.js';
import { fleetHistoryRoutes } from './fleet/fleet-history-routes.js';
import { createSignin } from './accounts/create-signin.js';
import { registerSigninMetrics } from './accounts/signin-metrics.js';
import type { OidcConfig } from './oidc/oidc-config.js';
import { createTurn } from './turn/create-turn.js';
import type { TurnConfig } from './turn/turn-config.js';
import { hstsPlugin } from './tls/hsts.js';
import type { HubTls } from './tls/hub-tls.js';
import { registerTlsMetrics } from './tls/tls-metrics.js';
import { tlsRoutes } from './tls/tls-routes.js';
import { type SecureServer, watchHubTls } from './tls/watch-tls.js';
import { registerAuditMetrics } from './audit/audit-metrics.js';
import { createPgIndexes } from './archive/hearing-index-pg.js';
import { createEnrollment } from './enrollment/create-enrollment.js';
import { liveRooms, roomProblem } from './enrollment/live-rooms.js';
import { fleetOpsRoutes } from './fleet-ops/ops-routes.js';
import { createReleaseLibrary } from './updates/release-library.js';
import { openRollout } from './updates/rollout.js';
import { updateRoutes } from './updates/update-routes.js';
import { readReleaseKey, type UpdatesConfig } from './updates/update-config.js';
import { commissioningRoutes } from './commissioning/commissioning-routes.js';
import type { HubStore } from './store/hub-store.js';
import { openBackends } from './store/open-backends.js';
import type { ClusterConfig } from './cluster/cluster-config.js';
import { installClusterNode } from './cluster/cluster-node.js';
import { clusterRoutes } from './cluster/cluster-routes.js';
import type { ClusterStore } from './cluster/cluster-store.js';

export interface HubDeps {
  host: string;
  port: number;
  publicUrl: string;
  /** API tokens with their roles (hub/auth). */
  tokens: TokenEntry[];
  /** Loopback callers get `loopbackRoles` (default: every role) without a credential: the demo only, warned at start. */
  allowLoopbackOfficers: boolean;
  loopbackRoles?: PersonRole[];
  /** Browser origins allowed besides the hub's own and publicUrl's; host names besides IPs, localhost, this machine, publicUrl's. */
  allowedOrigins?: string[];
  allowedHosts?: string[];
  /** Signed-in people (hub/accounts); none: only API tokens (and the opted-in loopback) identify people. */
  sessions?: SessionLookup;
  /** The province's OpenID provider (hub/oidc); off when absent or not enabled. */
  oidc?: OidcConfig;
  ice: IceConfig;
  /** The media plane (hub/janus): absent or `werift`, the SFU in this process; `janus`, Janus VideoRoom (checked here: unreachable → the start fails naming the URL). */
  media?: MediaConfig;
  /** TURN relay (hub/turn): urls and the secret shared with coturn; absent: STUN urls only. */
  turn?: TurnConfig;
  /** Signed software updates (hub/updates): the release key uploads are checked against; absent: no releases taken. */
  updates?: UpdatesConfig;
  /** HTTPS/WSS (hub/tls, resolved by main.ts from `tls`); undefined or mode 'off': plain http. */
  tls?: HubTls;
  /** Where hearings.json lives; undefined keeps hearings in memory only (tests). */
  stateDir?: string;
  /** The hub's state in PostgreSQL (hub/store, opened and migrated by main.ts); absent: files in stateDir. */
  store?: HubStore;
  /** The recordings archive; on when enabled and there is a stateDir (or archive.dir) to keep it in. */
  archive?: Pick<ArchiveConfig, 'enabled' | 'dir' | 'maxChunkMb'> & Partial<ArchiveConfig>;
  /** Several hub nodes (hub/cluster): on when `enabled`; absent or off: one process, every hearing's media here. */
  cluster?: ClusterConfig;
  /** The nodes' shared registry and placements; default: the PostgreSQL `store`'s, else in memory (one node). */
  clusterStore?: ClusterStore;
  logger: Logger;
  /** Clock of the fleet module (report ages, staleness); tests inject one. */
  now?: () => number;
}

/** The console's static files: beside this file in the sources, or back in the sources from dist/. */
function consoleDir(): string {
  const candidates = ['./console/', '../../hub/console/'].map((p) => fileURLToPath(new URL(p, import.meta.url)));
  return candidates.find((d) => existsSync(`${d}index.html`)) ?? candidates[0]!;
}

/** Builds the hub's HTTP/WebSocket server (not listening yet, so tests can `inject()`). */
export async function buildHub(deps: HubDeps) {
  const tickets = createTickets({ now: deps.now }); // WHIP/WHEP tickets (hub/auth/tickets.ts), signed with a key of this process
  const auth: HubAuthDeps & { tickets: typeof tickets } = {
    tokens: deps.tokens,
    allowLoopbackOfficers: deps.allowLoopbackOfficers,
    loopbackRoles: deps.loopbackRoles,
    sessions: deps.sessions,
    tickets,
  };
  if (deps.allowLoopbackOfficers)
    deps.logger.warn(
      { loopbackRoles: deps.loopbackRoles ?? 'all' },
      'LOOPBACK CALLERS ARE TRUSTED WITHOUT SIGN-IN (allowLoopbackOfficers): anything on this machine — a proxy, another user — acts with these roles. Demo only.',
    );
  const policy = createOriginPolicy({
    publicUrl: deps.publicUrl,
    allowedOrigins: deps.allowedOrigins ?? [],
    allowedHosts: [...(deps.allowedHosts ?? []), ...(deps.tls?.names ?? [])], // the certificate's names are the hub's too
  });
  // Each aggregate's backend (hub/store/open-backends.ts): PostgreSQL with a store, else files in stateDir.
  const backends = await openBackends({
    stateDir: deps.stateDir,
    store: deps.store,
    logger: deps.logger,
    now: deps.now,
    roomIds: () => rooms.map((r) => r.id),
    roomProblem: (id) => roomProblem(enrollment.registry, id), // never enrolled or revoked: 409 with the reason
  });
  const { hearings: store, hearingWrites, fleet, history, fleetOps, audit, commissioning } = backends;
  const plane = await openMediaPlane(deps.media, deps.ice, deps.logger.child({ module: 'janus' })); // undefined: werift here
  const conference = createConference({ store, peerConfig: hubPeerConfig(deps.ice), plane, logger: deps.logger.child({ module: 'sfu' }) });
  store.events.on('changed', () => conference.sync());
  const turn = createTurn({ turn: deps.turn ?? { urls: [], secretFile: '', ttlSeconds: 3600 }, stunUrls: deps.ice.stunUrls });
  // The room registry (hub/enrollment): enrolled rooms, their keys and tokens; the hub's room list follows it.
  const keyDir = deps.stateDir ?? (deps.archive?.enabled !== false ? deps.archive?.dir : undefined);
  const enrollment = await createEnrollment({
    stateDir: deps.stateDir,
    store: deps.store, // registry and codes in PostgreSQL when there is one (hub/enrollment/registry-pg.ts, codes-pg.ts)
    receiptKeyFile: keyDir ? defaultKeyFile(keyDir) : undefined,
    audit,
    logger: deps.logger.child({ module: 'enrollment' }),
    caPem: () => deps.tls?.caPem, // the CA a room pins at enrollment (hub/tls)
  });
  const rooms = liveRooms(enrollment.registry);
  // Signed software updates (hub/updates): releases in updates.releasesDir (<stateDir>/releases), each room's target.
  const releases = createReleaseLibrary({
    dir: deps.updates?.releasesDir || (deps.stateDir && join(deps.stateDir, 'releases')), // several nodes: one shared directory
    trustedKeyRaw: readReleaseKey(deps.updates),
  });
  const rollout = await openRollout({
    targets: backends.rolloutTargets, // rollout.json, or PostgreSQL with a store (every node's)
    reported: backends.reported,
    logger: deps.logger.child({ module: 'updates' }),
    library: releases,
  });
  auth.registry = enrollment.registry; // rooms present their enrolled token (hub/auth resolve-caller)
  const loop = watchEventLoop({ logger: deps.logger });
  // The hub's one registry: process defaults, event loop (the werift consent checks are answered on it), media, fleet.
  const metrics = createMetricsRegistry({ eventLoop: { name: 'reception_hub_event_loop_delay_seconds', watch: loop } });
  registerSfuMetrics(metrics, conference, store);
  registerFleetMetrics(metrics, fleet);
  registerAuditMetrics(metrics, audit);
  if (deps.tls) registerTlsMetrics(metrics, deps.tls); // certificate and CA expiry, for alerts
  // People sign in (hub/accounts: local accounts, sessions; hub/oidc: the province's SSO); the auth plugin reads their sessions.
  const signin = createSignin({
    stateDir: deps.stateDir,
    accounts: backends.accounts, // local accounts in PostgreSQL, shared by every node (hub/accounts/account-store-pg.ts)
    share: backends.sessionSharing, // sessions: every node's
    oidc: deps.oidc,
    publicUrl: deps.publicUrl,
    audit,
    logger: deps.logger.child({ module: 'accounts' }),
  });
  auth.sessions = deps.sessions ?? signin.sessions;
  registerSigninMetrics(metrics, signin);
  const https = deps.tls?.key && deps.tls.cert ? { key: deps.tls.key, cert: deps.tls.cert } : null; // one server: API, console, WSS, WHIP, archive
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: 256 * 1024,
    https,
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(strictValidator); // bodies as sent: no coercion, unknown fields → 400
  // External plugins first (convention 7); swagger collects the schemas of every route registered after it.
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Reception hub API',
        description:
          'Hearings, rooms, stats, WHIP/WHEP of the central reception point. Officers: `Authorization: Bearer <token>` (or loopback when allowed).',
        version: VERSION,
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  // Room for an oversized signaling frame to arrive, so it gets a TOO_LARGE error rather than a silent close.
  await app.register(websocket, { options: { maxPayload: 4 * MAX_SIGNAL_MESSAGE_BYTES } });
  await app.register(fastifyStatic, { root: consoleDir(), prefix: '/console/' });
  await app.register(sensible); // app.httpErrors; the one error handler answers them in the one shape
  app.addSchema(ErrorReply);
  installErrorHandler(app);
  await app.register(hstsPlugin); // over TLS: Strict-Transport-Security on every answer, errors included
  // hub/cluster: a request about a hearing held by another node goes there, before any other hook (the holder runs them)
  const clusterNode = deps.cluster?.enabled
    ? installClusterNode(app, {
        config: deps.cluster,
        store: deps.clusterStore,
        pool: deps.store?.pool, // PostgreSQL: the nodes' shared registry and placements; none: in memory (one node)
        hearings: store,
        conference,
        registry: enrollment.registry,
        ca: deps.tls?.caPem,
        logger: deps.logger.child({ module: 'cluster' }),
      })
    : undefined;
  // Every route below declares who may call it (`config: { role }`): officers (token, or loopback when
  // allowed), rooms (their secret), or 'public' (the signaling socket checks its own, in its messages).
  await app.register(auditRefusals, { audit }); // every 401/403/421, with who, what and why
  await app.register(hubGuards, { policy }); // Host (421), no ?token= (400), Origin (403): before the auth plugin
  await app.register(authPlugin, hubAuth(auth));
  await app.register(signin.routes); // /api/v1/session (local sign-in), /auth/oidc/start|callback (public routes)
  await app.register(swaggerUi, { routePrefix: '/docs' }); // after the auth plugin: /docs needs a role (prefixRoles)
  app.get('/', { config: { role: 'public' } }, async (_req, reply) => reply.redirect('/console/'));
  app.get('/console', { config: { role: 'public' } }, async (_req, reply) => reply.redirect('/console/'));

  // A room connected to another live node of the cluster (its heartbeat lists its rooms; a lag of one beat).
  const elsewhere = (r: string) =>
    clusterNode?.cluster
      .nodes()
      .filter((n) => n.alive && n.id !== clusterNode.cluster.nodeId)
      .flatMap((n) => n.rooms)
      .find((x) => x.id === r);
  const onOtherNode = (r: string) => !!elsewhere(r);
  await app.register(hearingRoutes, { prefix: HUB_API, store, writes: hearingWrites, conference, rooms, fleet, audit, elsewhere });
  await app.register(fleetOfficerRoutes, {
    prefix: HUB_API,
    fleet,
    audit,
    store,
    rooms,
    online: (r) => !!conference.member(r) || onOtherNode(r),
  });
  await app.register(updateRoutes, { prefix: HUB_API, library: releases, rollout, audit, rooms: () => rooms.map((r) => r.id) }); // technicians' releases and rollout
  await app.register(fleetOpsRoutes, { prefix: HUB_API, ops: fleetOps, audit, roomKnown: (r) => rooms.some((x) => x.id === r) }); // technicians' remote operations
  await app.register(fleetHistoryRoutes, { prefix: HUB_API, history, rooms });
  await app.register(signalRoutes, {
    prefix: HUB_API,
    store,
    conference,
    auth,
    registry: enrollment.registry,
    logger: deps.logger.child({ module: 'signaling' }),
    audit, // refused connections (4401)
    iceServers: turn.watch, // STUN/TURN servers for rooms and officers (hub/turn)
  });
  await app.register(ticketRoutes, { prefix: HUB_API, tickets, store, audit });
  await app.register(auditRoutes, { prefix: HUB_API, audit });
  if (clusterNode) await app.register(clusterRoutes, { prefix: HUB_API, cluster: clusterNode.cluster }); // GET /api/v1/cluster: nodes, placements
  app.get('/metrics', { config: { role: ['metrics', 'technician', 'monitor'] } }, async (_req, reply) => {
    await conference.refreshCounters(); // Janus: the legs' counters read at the scrape (hub/janus/janus-counters.ts)
    return reply.type(metrics.contentType).send(await metrics.metrics());
  });
  await enrollment.routes(app, HUB_API); // POST /enroll (the code is the credential), codes, registry, revoke (technician)
  await app.register(tlsRoutes, { prefix: HUB_API, caPem: deps.tls?.caPem }); // GET /api/v1/tls/ca (public): the CA for browsers
  await app.register(fleetReportRoutes, { prefix: HUB_API, fleet, onReport: history.record, ops: fleetOps, updates: rollout }); // rooms report with their secret
  await app.register(commissioningRoutes, { prefix: HUB_API, store: commissioning }); // rooms' commissioning reports (hub/commissioning)
  await app.register(whipRoutes, { store, conference, publicUrl: deps.publicUrl, policy, iceLinks: turn.links });
  // Archive: rooms upload with their secret, officers read.
  const archiveDir = deps.archive?.dir || (deps.stateDir ? join(deps.stateDir, 'archive') : '');
  const archive =
    deps.archive?.enabled !== false && archiveDir
      ? createArchive({
          dir: archiveDir,
          keyFile: defaultKeyFile(deps.stateDir ?? archiveDir),
          maxChunkBytes: (deps.archive?.maxChunkMb ?? 4) * 1048576,
          roomQuotaBytes: (deps.archive?.roomQuotaMb ?? 2097152) * 1048576,
          logger: deps.logger.child({ module: 'archive' }),
          // a room writes only <hearing>.<itself> of a hearing it took part in, or of its declared self-test
          hearings: { tookPart: (id, room) => store.tookPart(id, room) || commissioning.tookPart(id, room) },
          registry: enrollment.registry, // a hearing verifies only under its room's enrolled key
          indexes: deps.store ? createPgIndexes(deps.store.pool) : undefined, // with a store: the indexes in PostgreSQL, shared by the nodes
          store: await s3ArchiveStoreOf(deps.archive, deps.logger.child({ module: 'archive' })), // archive.url s3://… (else the filesystem)
        })
      : undefined;
  if (archive) {
    await archive.start();
    await app.register(uploadRoutes, {
      prefix: ARCHIVE_PREFIX,
      archive,
      maxChunkBytes: (deps.archive?.maxChunkMb ?? 4) * 1048576,
      maxFileBytes: (deps.archive?.maxFileMb ?? 4096) * 1048576,
    });
    await app.register(readRoutes, { prefix: ARCHIVE_PREFIX, archive, maxRemux: deps.archive?.maxRemux ?? 2, audit });
    await app.register(registryExportRoutes, { prefix: HUB_API, archive, audit }); // the registry signed with the hub key (audited)
  }
  app.addHook('onClose', async () => {
    loop.stop();
    await conference.stop(); // in memory only: legs and members
    await backends.close(); // hearings' listener, history, fleet, accounts, commissioning, then the audit log
  });
  return { app, store, conference, archive, fleet, audit, registry: enrollment.registry, enrollment };
}

/** The hub module: { start, stop, health, address }. */
export function createHub(deps: HubDeps) {
  let built: Awaited<ReturnType<typeof buildHub>> | undefined;
  let startedAt = 0;
  let tlsWatch: ReturnType<typeof watchHubTls> | undefined;
  return {
    async start() {
      built = await buildHub(deps);
      await built.app.listen({ host: deps.host, port: deps.port });
      if (deps.tls) tlsWatch = watchHubTls(built.app.server as unknown as SecureServer, deps.tls, deps.logger.child({ module: 'tls' }));
      startedAt = Date.now();
      return built;
    },
    async stop() {
      tlsWatch?.stop();
      await built?.app.close();
    },
    health() {
      return { state: built ? 'online' : 'stopped', since: new Date(startedAt).toISOString(), reconnects: 0 } as const;
    },
    address(): string {
      const a = built?.app.server.address();
      const scheme = deps.tls?.key ? 'https' : 'http';
      return a && typeof a === 'object' ? `${scheme}://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}` : '';
    },
    get conference() {
      return built?.conference;
    },
    /** The hub's certificate check (tests run it with a future date). */
    get tls() {
      return tlsWatch;
    },
    get store() {
      return built?.store;
    },
    /** The hub's audit log (hub/audit). */
    get audit() {
      return built?.audit;
    },
  };
}

/** The S3 store of `archive.url`, if any. The S3 SDK (~37 MB of RSS) is loaded only for a hub whose archive.url is set. */
async function s3ArchiveStoreOf(archive: HubDeps['archive'], logger: Logger) {
  if (!archive?.url) return undefined;
  return (await import('./archive/s3-archive-open.js')).s3ArchiveStoreOf(archive, logger);
}
