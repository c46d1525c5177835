import { type Static, Type } from '@sinclair/typebox';

// The `media` section of the hub's config: which media plane carries the hearings. werift (the default): the
// hub's own SFU in its process, nothing else to run. janus: Janus VideoRoom driven over its HTTP API (README.md).

export const MediaConfig = Type.Object(
  {
    plane: Type.Union([Type.Literal('werift'), Type.Literal('janus')], {
      default: 'werift',
      description: 'werift: the SFU in the hub process (embedded default); janus: Janus VideoRoom (media.janus), the hub the control plane',
      env: 'RECEPTION_HUB_MEDIA_PLANE',
    }),
    janus: Type.Object(
      {
        url: Type.String({
          pattern: '^https?://[^/]+(/.*)?$',
          default: 'http://127.0.0.1:8088/janus',
          description: "Janus's HTTP API (janus.transport.http base_path), reachable by the hub only",
          env: 'RECEPTION_HUB_JANUS_URL',
        }),
        apiSecretFile: Type.String({
          default: '',
          description:
            'file holding janus.jcfg\'s general.api_secret (0600, one line); "" = no secret (Janus on loopback for this hub alone)',
          env: 'RECEPTION_HUB_JANUS_API_SECRET_FILE',
        }),
        adminUrl: Type.String({
          pattern: '^$|^https?://[^/]+(/.*)?$',
          default: '',
          description:
            'Janus\'s Admin API (janus.transport.http admin_base_path, e.g. http://127.0.0.1:7088/admin): each leg\'s packets and bytes for the hearing stats and /metrics; "" = not read (null there)',
          env: 'RECEPTION_HUB_JANUS_ADMIN_URL',
        }),
        adminSecretFile: Type.String({
          default: '',
          description: "file holding janus.jcfg's general.admin_secret (0600, one line)",
          env: 'RECEPTION_HUB_JANUS_ADMIN_SECRET_FILE',
        }),
        timeoutMs: Type.Integer({
          minimum: 500,
          maximum: 120_000,
          default: 10_000,
          description:
            'deadline of one Janus request (answers to join/publish/start included); past it the call fails with 503 MEDIA_UNAVAILABLE',
        }),
      },
      { additionalProperties: false, default: {}, description: 'the Janus the hub drives when media.plane is janus' },
    ),
  },
  { additionalProperties: false, default: {}, description: 'the media plane (hub/janus/README.md)' },
);
export type MediaConfig = Static<typeof MediaConfig>;
