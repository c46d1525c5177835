import { Type, type Static } from '@sinclair/typebox';
import { PEOPLE_ROLES } from '../auth/identity.js';
import { OidcConfig } from '../oidc/oidc-config.js';
import { TurnConfig } from '../turn/turn-config.js';
import { UpdatesConfig } from '../updates/update-config.js';
import { ClusterConfig } from '../cluster/cluster-config.js';
import { MediaConfig } from '../janus/media-config.js';
import { S3ArchiveConfig } from '../archive/s3-config.js';

// The hub's one config schema (a default and a description on every field, no unknown keys).
// main.ts hands each module its own slice; nothing else reads this object whole. A field with `env` can be
// set from that environment variable (common/config/env-overrides.ts).

const Sha256 = (description: string) => Type.String({ pattern: '^[0-9a-f]{64}$', default: '0'.repeat(64), description });

export const PersonRoleSchema = Type.Union(
  PEOPLE_ROLES.map((r) => Type.Literal(r)),
  { description: "a people's role at the hub (hub/auth/identity.ts)" },
);

export const TokenEntry = Type.Object(
  {
    name: Type.String({ minLength: 1, default: 'token', description: 'who or what holds the token (audit log, participant name)' }),
    sha256: Sha256('hex SHA-256 of the API token; the token itself is never stored'),
    roles: Type.Array(PersonRoleSchema, {
      minItems: 1,
      default: ['officer'],
      description: 'what the token may do: officer, supervisor, archivist, technician, monitor, metrics (Prometheus: ["metrics"])',
    }),
  },
  { additionalProperties: false, description: 'one API token (`Authorization: Bearer`): scripts, WHIP/WHEP tools, Prometheus' },
);
export type TokenEntry = Static<typeof TokenEntry>;

export const IceConfig = Type.Object(
  {
    hostAddresses: Type.Array(Type.String(), {
      default: ['127.0.0.1'],
      description: 'extra host candidate addresses (werift skips loopback unless listed here)',
    }),
    useIpv6: Type.Boolean({ default: false, description: 'gather IPv6 candidates too' }),
    stunUrls: Type.Array(Type.String(), { default: [], description: 'STUN servers, e.g. "stun:stun.example.org:3478" (none on a LAN)' }),
    portMin: Type.Integer({ minimum: 0, maximum: 65535, default: 0, description: 'lowest UDP port for media (0 with portMax 0: any)' }),
    portMax: Type.Integer({ minimum: 0, maximum: 65535, default: 0, description: 'highest UDP port for media' }),
  },
  { additionalProperties: false, default: {}, description: "ICE settings of the hub's werift peer connections" },
);
export type IceConfig = Static<typeof IceConfig>;

export const ArchiveConfig = Type.Object(
  {
    enabled: Type.Boolean({ default: true, description: "receive, verify and keep the rooms' recordings (needs stateDir or archive.dir)" }),
    dir: Type.String({
      default: '',
      description: 'where archived hearings are stored ("" = <stateDir>/archive); the hub key stays in <stateDir>/keys',
    }),
    url: Type.String({
      default: '',
      description: 's3://BUCKET[/PREFIX]: keep the archive in S3-compatible object storage (archive.s3); "" = the filesystem (archive.dir)',
      env: 'RECEPTION_HUB_ARCHIVE',
    }),
    s3: S3ArchiveConfig,
    maxChunkMb: Type.Integer({ minimum: 1, maximum: 64, default: 4, description: 'largest PATCH chunk accepted (MiB)' }),
    maxFileMb: Type.Integer({
      minimum: 1,
      maximum: 1048576,
      default: 4096,
      description: 'largest file a room may declare (Upload-Length, MiB); past it: 413 FILE_TOO_LARGE',
    }),
    roomQuotaMb: Type.Integer({
      minimum: 1,
      default: 2097152,
      description: 'per room: archived + declared bytes of all its hearings (MiB, default 2 TiB); past it: 413 QUOTA_EXCEEDED',
    }),
    maxRemux: Type.Integer({
      minimum: 1,
      maximum: 64,
      default: 2,
      description: 'ffmpeg remuxes (`?format=mp4` playback) running at once; past it: 503 REMUX_BUSY with Retry-After',
    }),
  },
  { additionalProperties: false, default: {}, description: 'the recordings archive (docs/UPLOAD.md)' },
);
export type ArchiveConfig = Static<typeof ArchiveConfig>;

export const TLS_MODES = ['auto', 'off', 'files', 'internal-ca'] as const;

export const TlsConfig = Type.Object(
  {
    mode: Type.Union(
      TLS_MODES.map((m) => Type.Literal(m)),
      {
        default: 'auto',
        description:
          "auto: https unless the hub listens on loopback only (files when certFile is set, else internal-ca); off: plain http (refused on a non-loopback address); files: the province's certificate; internal-ca: the hub's own CA in <stateDir>/tls/",
        env: 'RECEPTION_HUB_TLS_MODE',
      },
    ),
    certFile: Type.String({ default: '', description: 'files mode: PEM certificate of the hub (leaf first, then the intermediates)' }),
    keyFile: Type.String({ default: '', description: 'files mode: PEM private key of certFile (keep it 0600)' }),
    caFile: Type.String({
      default: '',
      description: 'files mode: PEM of the CA rooms and browsers trust (given at enrollment and GET /api/v1/tls/ca); "" = the system store',
    }),
    hostnames: Type.Array(Type.String({ minLength: 1 }), {
      default: [],
      description:
        'internal-ca: extra names or addresses the certificate covers (the publicUrl host, localhost and the listening addresses always are)',
    }),
  },
  {
    additionalProperties: false,
    default: {},
    description: 'HTTPS/WSS of the hub (one server: API, console, signaling, WHIP/WHEP, archive)',
  },
);
export type TlsConfig = Static<typeof TlsConfig>;

export const HubConfigSchema = Type.Object(
  {
    host: Type.String({ default: '127.0.0.1', description: 'address the hub listens on', env: 'RECEPTION_HUB_HOST' }),
    port: Type.Integer({
      minimum: 0,
      maximum: 65535,
      default: 8090,
      description: 'hub HTTP/WebSocket port (also `--port`)',
      env: 'RECEPTION_HUB_PORT',
    }),
    publicUrl: Type.String({ default: '', description: 'base URL used in WHIP/WHEP Location headers when behind a proxy ("" = relative)' }),
    tokens: Type.Array(TokenEntry, { default: [], description: 'API tokens with their roles (replaces `officers`)' }),
    allowLoopbackOfficers: Type.Boolean({
      default: false,
      description:
        'callers on the hub machine itself (127.0.0.0/8, ::1) get `loopbackRoles` without signing in — the demo only: anything on the host (a proxy, another user) then acts as them; the hub warns loudly at start',
      env: 'RECEPTION_HUB_ALLOW_LOOPBACK_OFFICERS',
    }),
    loopbackRoles: Type.Array(PersonRoleSchema, {
      default: [...PEOPLE_ROLES],
      description: 'the roles of a loopback caller while allowLoopbackOfficers is on',
    }),
    allowedOrigins: Type.Array(Type.String({ pattern: '^https?://[^/]+$' }), {
      default: [],
      description:
        'browser origins (scheme://host[:port]) allowed on WebSockets, state-changing requests and WHIP/WHEP CORS, besides the publicUrl origin and the hub itself',
    }),
    allowedHosts: Type.Array(Type.String({ minLength: 1 }), {
      default: [],
      description:
        'host names the hub answers to (Host header), besides IP addresses, localhost, the machine name and the publicUrl host; others get 421 (DNS rebinding)',
    }),
    ice: IceConfig,
    stateDir: Type.String({
      minLength: 1,
      default: 'var/hub',
      description: 'where the hub keeps its state (hearings.json, written atomically); relative to the working directory',
      env: 'RECEPTION_HUB_STATE_DIR',
    }),
    archive: ArchiveConfig,
    store: Type.String({
      default: '',
      description:
        'the hub\'s state in PostgreSQL, postgres://USER:PASSWORD@HOST:PORT/DB (hub/store; also `--store`): hearings, audit log, archive index, shared by every hub node; "" = files in stateDir (one node)',
      env: 'RECEPTION_HUB_STORE',
    }),
    tls: TlsConfig,
    oidc: OidcConfig, // officers' single sign-on (hub/oidc)
    turn: TurnConfig, // TURN relay credentials for rooms and browsers behind firewalls (hub/turn)
    updates: UpdatesConfig, // signed software updates for the rooms (hub/updates)
    cluster: ClusterConfig, // several hub nodes sharing `store`, hearings placed on them (hub/cluster)
    media: MediaConfig, // the media plane: werift in this process (default) or Janus VideoRoom (hub/janus)
  },
  { additionalProperties: false },
);
export type HubConfig = Static<typeof HubConfigSchema>;
