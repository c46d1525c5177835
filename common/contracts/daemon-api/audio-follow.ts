import { Type, type Static, type TLiteral } from '@sinclair/typebox';
import { DeviceHealth } from './health.js';

// Daemon → kiosk page and monitors: the audio-follow camera (GET/PUT /api/v1/audio-follow,
// daemon/modules/audio-follow). The kiosk imports these types only. Pure TypeBox, no app imports.

const lit = <T extends readonly string[]>(xs: T, description: string) =>
  Type.Union(xs.map((x) => Type.Literal(x)) as TLiteral<T[number]>[], { description });

/** disabled: off in the room's config; off: an officer switched it off; paused: a manual move, for a while; auto: following. */
export const FOLLOW_MODES = ['disabled', 'off', 'paused', 'auto'] as const;
export type FollowMode = (typeof FOLLOW_MODES)[number];
export const FOLLOW_CAUSES = ['talker', 'several', 'silence'] as const;

export const AudioFollowState = Type.Object({
  mode: lit(FOLLOW_MODES, 'disabled (config) | off (an officer) | paused (after a manual move) | auto'),
  camera: Type.Union([Type.String(), Type.Null()], { description: 'the camera it steers (null when disabled)' }),
  pausedUntil: Type.Union([Type.String(), Type.Null()], { description: 'ISO time following resumes after a manual move' }),
  /** The last automatic move. */
  last: Type.Union([
    Type.Object({
      preset: Type.String(),
      cause: lit(FOLLOW_CAUSES, 'talker: one microphone | several: more than one | silence'),
      channels: Type.Array(Type.String()),
      at: Type.String(),
      ok: Type.Boolean(),
      error: Type.Optional(Type.String()),
    }),
    Type.Null(),
  ]),
  talking: Type.Array(Type.String(), { description: 'channels talking now' }),
  channels: Type.Array(
    Type.Object({
      id: Type.String(),
      preset: Type.String(),
      db: Type.Union([Type.Number(), Type.Null()], { description: 'last meter reading (null: none yet)' }),
      stale: Type.Boolean({ description: 'no meter reading lately: the channel cannot be followed' }),
    }),
  ),
  moves: Type.Integer({ description: 'automatic moves since the daemon started' }),
  health: DeviceHealth,
});
export type AudioFollowState = Static<typeof AudioFollowState>;

/** PUT /api/v1/audio-follow (officer): switch following on or off. */
export const AudioFollowChange = Type.Object(
  { auto: Type.Boolean({ description: 'true: follow the talker; false: the camera stays where officers put it' }) },
  { additionalProperties: false },
);
export type AudioFollowChange = Static<typeof AudioFollowChange>;
