import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import '../api/fastify-context.js'; // route roles and audit names, typed
import { AudioFollowChange, AudioFollowState } from '../../../common/contracts/daemon-api/audio-follow.js';
import { errorResponses as errors } from '../../../common/http/error-reply.js';
import type { AudioFollow } from './create-audio-follow.js';

/** GET /api/v1/audio-follow (monitors, the kiosk): mode and what it follows; PUT (officers): on or off. */
export const audioFollowRoutes: FastifyPluginAsyncTypebox<{ follow: Pick<AudioFollow, 'state' | 'setAuto'> }> = async (app, { follow }) => {
  const tags = ['audio-follow'];
  app.get(
    '/audio-follow',
    {
      config: { role: 'monitor' },
      schema: { tags, summary: 'Audio-follow camera: mode, talkers, last automatic move', response: { 200: AudioFollowState } },
    },
    async () => follow.state(),
  );
  app.put(
    '/audio-follow',
    {
      config: { role: 'officer', audit: 'audio-follow.set' },
      schema: {
        tags,
        summary: 'Switch the audio-follow camera on or off (a manual camera move pauses it by itself)',
        body: AudioFollowChange,
        response: { 200: AudioFollowState, ...errors(400, 409) },
      },
    },
    async (req) => follow.setAuto(req.body.auto, req.caller.name),
  );
};
