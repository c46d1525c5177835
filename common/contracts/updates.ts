import { type Static, Type } from '@sinclair/typebox';

// Software updates, hub ↔ room (issue 13): the hub offers a signed release in its answer to a room's fleet
// report; the room fetches it with its room token, checks it with the release key it trusts from
// provisioning (common/release), installs it outside hearings and says how it went in its next reports.

/** Under HUB_API: the release file and its archive, for rooms (their token) and technicians. */
export const UPDATE_RELEASE_ROUTE = '/updates/releases/:version/release.json';
export const UPDATE_ARCHIVE_ROUTE = '/updates/releases/:version/archive';

export const UpdateOffer = Type.Object(
  {
    version: Type.String({ maxLength: 64, description: 'the version the central point wants this room to run' }),
    releasePath: Type.String({ maxLength: 200, description: 'path of the signed release file at the hub' }),
    archivePath: Type.String({ maxLength: 200, description: 'path of the archive at the hub (Range supported)' }),
    bytes: Type.Integer({ minimum: 1, description: 'archive size' }),
    attempt: Type.String({ maxLength: 40, description: 'which rollout this offer belongs to (the room says it back in its status)' }),
  },
  { additionalProperties: false },
);
export type UpdateOffer = Static<typeof UpdateOffer>;

export const UPDATE_STATES = [
  'downloading',
  'waiting-for-hearing-end',
  'installing',
  'installed',
  'rolled-back',
  'refused',
  'failed',
] as const;

/** What the room says of the last update it was offered (in its report, optional: older rooms leave it out). */
export const UpdateStatus = Type.Object(
  {
    version: Type.String({ maxLength: 64, description: 'the version offered' }),
    attempt: Type.String({ maxLength: 40, description: "the offer's attempt: a technician setting the target again starts a new one" }),
    state: Type.Union(
      UPDATE_STATES.map((s) => Type.Literal(s)),
      { description: UPDATE_STATES.join(' | ') },
    ),
    reason: Type.Union([Type.String({ maxLength: 500 }), Type.Null()], {
      description: 'why refused / rolled back / failed (Vietnamese — English)',
    }),
    at: Type.String({ maxLength: 40, description: 'room clock of the last change (ISO)' }),
  },
  { additionalProperties: false },
);
export type UpdateStatus = Static<typeof UpdateStatus>;
