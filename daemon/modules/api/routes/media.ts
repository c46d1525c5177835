import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AppError, DeviceUnavailableError } from '../../../../common/errors.js';
import type { Media } from '../../media/create-media.js';
import { errors } from '../schemas.js';

const isLoopbackAddress = (a: string) => /^(127\.|::1$|::ffff:127\.)/.test(a);

/** What the routes need of the media module (absent when the API runs without media: every route 503s). */
export type MediaControl = Pick<Media, 'status' | 'select' | 'requestKeyframe'> & Partial<Pick<Media, 'liveRate'>>;

const Source = Type.Union([Type.Literal('primary'), Type.Literal('backup'), Type.Literal('slate')]);
const Liveness = Type.Object({
  alive: Type.Boolean(),
  lastFrameAgoMs: Type.Union([Type.Number(), Type.Null()], { description: 'null before the first frame' }),
  fps: Type.Number(),
  mode: Type.Optional(Type.Union([Type.Literal('passthrough'), Type.Literal('transcode')])),
  profile: Type.Optional(Type.String({ description: 'H.264 profile the camera sends' })),
  lastError: Type.Optional(Type.String({ description: 'why it has no picture (the element and its error)' })),
});
const Microphone = Type.Object({
  source: Type.Union([Type.Literal('alsa'), Type.Literal('test')]),
  device: Type.Optional(Type.String({ description: 'the ALSA capture device' })),
  alive: Type.Boolean({ description: 'sound arriving' }),
  lastBufferAgoMs: Type.Union([Type.Number(), Type.Null()]),
  lastError: Type.Optional(Type.String({ description: 'why it has no sound (the device and its error)' })),
});

const MediaStatusSchema = Type.Object({
  state: Type.Union(
    ['stopped', 'starting', 'running', 'restarting', 'disabled'].map((s) => Type.Literal(s)),
    { description: 'the worker process' },
  ),
  mode: Type.Union([Type.Literal('auto'), Type.Literal('manual')]),
  selection: Type.Union([Source, Type.Literal('auto')]),
  source: Type.Union([Source, Type.Null()], { description: 'on air now' }),
  fps: Type.Number({ description: 'frames per second leaving the worker' }),
  bitrateKbps: Type.Number(),
  packetsOut: Type.Integer({ description: 'video RTP packets sent since the worker started' }),
  audioPacketsOut: Type.Integer(),
  sources: Type.Union([Type.Object({ primary: Liveness, backup: Type.Optional(Liveness), slate: Liveness }), Type.Null()]),
  microphone: Type.Union([Microphone, Type.Null()], { description: 'null when the audio comes with the camera' }),
  workerPid: Type.Union([Type.Integer(), Type.Null()]),
  workerRssMb: Type.Union([Type.Number(), Type.Null()]),
  restarts: Type.Integer({ description: 'worker restarts since the daemon started' }),
  lastRestartReason: Type.Optional(Type.String()),
  primaryUri: Type.Union([Type.String(), Type.Null()]),
  backupUri: Type.Union([Type.String(), Type.Null()]),
});

export const mediaRoutes: FastifyPluginAsyncTypebox<{ media?: MediaControl }> = async (app, { media }) => {
  const tags = ['media'];
  const need = (): MediaControl => {
    if (!media) throw new DeviceUnavailableError('media', 'the media worker is not enabled on this daemon');
    return media;
  };

  app.get(
    '/status',
    {
      config: { role: 'monitor' },
      schema: {
        tags,
        summary: 'Source on air, fps, bitrate, liveness, worker restarts',
        response: { 200: MediaStatusSchema, ...errors(503) },
      },
    },
    async () => need().status(),
  );

  app.post(
    '/source',
    {
      config: { role: 'officer', audit: 'media.source' },
      schema: {
        tags,
        summary: 'Put a source on air; "auto" returns to automatic failover',
        body: Type.Object(
          { source: Type.Union([Source, Type.Literal('auto')], { description: 'primary | backup | slate | auto' }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ ok: Type.Literal(true), selection: Type.String() }), ...errors(400, 503) },
      },
    },
    async (req) => {
      need().select(req.body.source);
      return { ok: true as const, selection: req.body.source };
    },
  );

  app.post(
    '/keyframe',
    {
      // Called by the room's own gateway on every PLI/FIR (not audited). It holds no token: with the default
      // access.loopbackRole (monitor) an officer-only route refused every request (403) and no keyframe was
      // ever forced — a viewer that lost a packet waited for the next GOP. Loopback callers may, not the network.
      config: { role: 'monitor' },
      schema: {
        tags,
        summary: 'Ask for a keyframe (receiver PLI/FIR)',
        response: {
          200: Type.Object({
            ok: Type.Literal(true),
            onAir: Type.Union([Source, Type.Null()]),
            method: Type.Union([Type.Literal('forced'), Type.Literal('camera-sync'), Type.Literal('camera-gop')], {
              description:
                "forced: the slate's or our encoder's next frame; camera-sync: passthrough, the camera was asked for an IDR " +
                '(ONVIF SetSynchronizationPoint); camera-gop: passthrough from a camera that cannot be asked, its next IDR',
            }),
          }),
          ...errors(403, 503),
        },
      },
    },
    async (req) => {
      if (!isLoopbackAddress(req.socket.remoteAddress ?? ''))
        throw new AppError("only the room's own gateway (loopback) asks for keyframes", 403, 'FORBIDDEN');
      return { ok: true as const, ...need().requestKeyframe() };
    },
  );

  // Issue 12 item 2 (part R): the gateway's congestion control sets the live picture's bitrate.
  app.post(
    '/live-rate',
    {
      // The room's own gateway calls it every few seconds while the link is poor (not audited). It holds no
      // token: loopback callers (access.loopbackRole, monitor by default) may, nobody from the network.
      config: { role: 'monitor' },
      schema: {
        tags,
        summary: 'Live picture for the link: a video bitrate (re-encoded 640x360) or null (passthrough)',
        body: Type.Object(
          { kbps: Type.Union([Type.Integer({ minimum: 1, maximum: 100000 }), Type.Null()], { description: 'kbit/s; null: passthrough' }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ ok: Type.Literal(true), delivered: Type.Boolean() }), ...errors(400, 403, 503) },
      },
    },
    async (req) => {
      if (!isLoopbackAddress(req.socket.remoteAddress ?? ''))
        throw new AppError("only the room's own gateway (loopback) sets the live rate", 403, 'FORBIDDEN');
      return { ok: true as const, delivered: need().liveRate?.(req.body.kbps) ?? false };
    },
  );
};
