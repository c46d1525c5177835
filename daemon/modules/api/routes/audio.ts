import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { NotFoundError } from '../../../../common/errors.js';
import { withTimeout } from '../../../../common/timeout.js';
import type { Devices } from '../../devices/create-devices.js';
import { Channel } from '../../../../common/contracts/daemon-api/room.js';
import { ChannelParams, Done, errors } from '../schemas.js';

const GUARD_MS = 1900;
const Level = Type.Number({ minimum: -100, maximum: 12, description: 'gain in dB' });

/** Audio: officers mute and set levels; presets are the DSP's stored scenes. */
export const audioRoutes: FastifyPluginAsyncTypebox<{ devices: Devices }> = async (app, { devices }) => {
  const dsp = devices.dsp;
  const guard = <T>(what: string, p: Promise<T>) => withTimeout('audio', GUARD_MS, p, what);
  const tags = ['audio'];

  app.get(
    '/channels',
    {
      config: { role: 'monitor' },
      schema: { tags, summary: 'Channels with mute and level (null when the DSP does not answer)', response: { 200: Type.Array(Channel) } },
    },
    async () =>
      Promise.all(
        dsp.channels().map(async (ch) => {
          const [muted, levelDb] = await Promise.all([
            guard('get mute', dsp.getMute(ch.id)).catch(() => null),
            guard('get level', dsp.getLevel(ch.id)).catch(() => null),
          ]);
          return { id: ch.id, name: ch.name, muted, levelDb };
        }),
      ),
  );

  app.post(
    '/channels/:channel/mute',
    {
      config: { role: 'officer', audit: 'audio.mute' },
      schema: {
        tags,
        summary: 'Mute or unmute a channel',
        params: ChannelParams,
        body: Type.Object({ muted: Type.Boolean() }, { additionalProperties: false }),
        response: { 200: Done, ...errors(400, 404, 502, 503) },
      },
    },
    async (req) => {
      await guard('set mute', dsp.setMute(req.params.channel, req.body.muted));
      return { ok: true as const };
    },
  );

  app.get(
    '/channels/:channel/level',
    {
      config: { role: 'monitor' },
      schema: {
        tags,
        summary: 'Read a level',
        params: ChannelParams,
        response: { 200: Type.Object({ db: Type.Number() }), ...errors(404, 502, 503) },
      },
    },
    async (req) => ({
      db: await guard('get level', dsp.getLevel(req.params.channel)),
    }),
  );

  app.put(
    '/channels/:channel/level',
    {
      config: { role: 'officer', audit: 'audio.level' },
      schema: {
        tags,
        summary: 'Set a level',
        params: ChannelParams,
        body: Type.Object({ db: Level }, { additionalProperties: false }),
        response: { 200: Done, ...errors(400, 404, 502, 503) },
      },
    },
    async (req) => {
      await guard('set level', dsp.setLevel(req.params.channel, req.body.db));
      return { ok: true as const };
    },
  );

  app.get(
    '/presets',
    {
      config: { role: 'monitor' },
      schema: {
        tags,
        summary: 'DSP presets officers may recall',
        response: { 200: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String() })) },
      },
    },
    async () => devices.audioPresets,
  );

  app.post(
    '/presets/:preset/recall',
    {
      config: { role: 'officer', audit: 'audio.preset.recall' },
      schema: {
        tags,
        summary: 'Recall a DSP preset',
        params: Type.Object({ preset: Type.Integer() }),
        response: { 200: Done, ...errors(400, 404, 502, 503) },
      },
    },
    async (req) => {
      if (!devices.audioPresets.some((p) => p.id === req.params.preset))
        throw new NotFoundError(`no audio preset ${req.params.preset}; known: ${devices.audioPresets.map((p) => p.id).join(', ')}`);
      await guard('recall preset', dsp.recallPreset(req.params.preset));
      return { ok: true as const };
    },
  );
};
