import { Type } from '@sinclair/typebox';
import { Str } from './room-config.js';

// `audioFollow`: the camera follows the talker (daemon/modules/audio-follow; cross-field checks in audio-follow-check.ts).

export const AudioFollowConfig = Type.Object(
  {
    enabled: Type.Boolean({
      default: false,
      description:
        "the camera follows the talker: the DSP's per-microphone meters recall PTZ presets (officers can switch it off on the kiosk)",
    }),
    camera: Str('cam1', 'camera id the meters steer'),
    rules: Type.Array(
      Type.Object(
        {
          channel: Str('mic', 'audio channel id (audio.channels, with a meterTag)', { minLength: 1 }),
          preset: Str('1', "the camera's preset token showing who talks on that channel", { minLength: 1 }),
        },
        { additionalProperties: false, description: 'one microphone → one preset' },
      ),
      { default: [], description: 'which preset shows the talker of each microphone (citizen mic → "Citizen", officer mic → theirs)' },
    ),
    roomPreset: Str('', 'preset token of the whole room: several talkers at once, or silence'),
    onDb: Type.Number({
      minimum: -100,
      maximum: 12,
      default: -35,
      description: 'a microphone is talking at or above this meter level (dB)',
    }),
    offDb: Type.Number({ minimum: -100, maximum: 12, default: -45, description: 'and stops only below this one (hysteresis; ≤ onDb)' }),
    gapMs: Type.Integer({
      minimum: 0,
      maximum: 2000,
      default: 300,
      description: 'a pause shorter than this does not end a turn (gaps between words)',
    }),
    talkMs: Type.Integer({
      minimum: 100,
      maximum: 10_000,
      default: 800,
      description: 'a new talker must hold this long before the camera moves',
    }),
    silenceMs: Type.Integer({ minimum: 500, maximum: 60_000, default: 4000, description: 'silence this long → the whole-room preset' }),
    holdMs: Type.Integer({
      minimum: 1000,
      maximum: 120_000,
      default: 4000,
      description: 'least time between two automatic moves (the camera must not hunt)',
    }),
    manualPauseSeconds: Type.Integer({
      minimum: 5,
      maximum: 3600,
      default: 60,
      description: 'a manual camera move or preset recall pauses following for this long',
    }),
  },
  { additionalProperties: false, default: {}, description: 'audio-follow camera (off by default; on/off per room)' },
);
