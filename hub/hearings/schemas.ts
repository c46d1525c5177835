import { Type } from '@sinclair/typebox';
import { MediaPathSchema } from '../../common/contracts/ice-servers.js';
import { ParticipantInfo } from '../../common/contracts/signaling/messages.js';
import { RoomHealth } from '../fleet/schemas.js';

// Request and response shapes of the hub's REST API (they also document it).

// Errors: the one shape of both servers (common/http/error-reply.ts), `errors(404, 409)` on a route.
export { errorResponses as errors } from '../../common/http/error-reply.js';

const RoomId = Type.String({ minLength: 1, maxLength: 64, description: 'room id from the hub config' });

export const HearingView = Type.Object({
  id: Type.String(),
  title: Type.String(),
  rooms: Type.Array(Type.String()),
  history: Type.Array(Type.Object({ room: Type.String(), joinedAt: Type.String(), leftAt: Type.Optional(Type.String()) }), {
    description: 'every room that took part and when (the archive accepts uploads only from these)',
  }),
  state: Type.Union([Type.Literal('active'), Type.Literal('ended')]),
  createdAt: Type.String(),
  endedAt: Type.Optional(Type.String()),
  participants: Type.Array(ParticipantInfo, { description: 'connected now: rooms, officers, WHIP publishers' }),
});

export const CreateHearingBody = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 200, description: 'shown to officers and rooms' }),
    rooms: Type.Array(RoomId, { default: [], maxItems: 32, description: 'rooms taking part' }),
  },
  { additionalProperties: false },
);
export const AddRoomBody = Type.Object({ room: RoomId }, { additionalProperties: false });
export const HearingParams = Type.Object({ id: Type.String({ description: 'hearing id' }) });
export const HearingRoomParams = Type.Object({ id: Type.String(), room: RoomId });

export const RoomView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  online: Type.Boolean({ description: 'its signaling WebSocket is connected' }),
  publishing: Type.Boolean({ description: 'it has a publish connection' }),
  hearing: Type.Union([Type.String(), Type.Null()], { description: 'its active hearing' }),
  health: RoomHealth,
});

const Counter = Type.Object({ packets: Type.Integer(), bytes: Type.Integer() });
const PerKind = Type.Object({ audio: Counter, video: Counter });
export const HearingStatsView = Type.Object({
  participants: Type.Array(
    Type.Object({
      id: Type.String(),
      kind: Type.String(),
      publishing: Type.Boolean(),
      publishState: Type.Union([Type.String(), Type.Null()]),
      path: Type.Union([MediaPathSchema, Type.Null()], {
        description:
          "how its media reaches the hub, from the selected ICE candidate pair (null: not connected); 'turn': relayed, transport not told",
      }),
      received: Type.Union([PerKind, Type.Null()], {
        description: 'null: the media plane does not report it (media.plane janus, hub/janus/README.md)',
      }),
      keyframeRequests: Type.Integer(),
    }),
  ),
  legs: Type.Array(
    Type.Object({
      sid: Type.String(),
      publisher: Type.String(),
      subscriber: Type.String(),
      state: Type.String(),
      sent: Type.Union([PerKind, Type.Null()], {
        description: 'null: the media plane does not report it (media.plane janus, hub/janus/README.md)',
      }),
      total: Type.Union([Counter, Type.Null()]),
    }),
  ),
});
