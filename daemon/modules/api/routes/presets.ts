import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { NotFoundError } from '../../../../common/errors.js';
import { withTimeout } from '../../../../common/timeout.js';
import type { Devices } from '../../devices/create-devices.js';
import type { EventBus } from '../../events/event-bus.js';
import { Preset } from '../../../../common/contracts/daemon-api/room.js';
import { CameraParams, Done, PresetParams, Speed, errors } from '../schemas.js';

const GUARD_MS = 1900;

/** Camera presets: officers list and recall them; technicians store and remove them. */
export const presetRoutes: FastifyPluginAsyncTypebox<{ devices: Devices; bus: EventBus }> = async (app, { devices, bus }) => {
  const camera = (id: string) => {
    const cam = devices.cameras.get(id);
    if (!cam) throw new NotFoundError(`no camera "${id}"; known: ${[...devices.cameras.keys()].join(', ')}`);
    return cam;
  };
  const tags = ['presets'];

  app.get(
    '/:camera/presets',
    {
      config: { role: 'monitor' },
      schema: { tags, summary: 'List presets', params: CameraParams, response: { 200: Type.Array(Preset), ...errors(404, 502, 503) } },
    },
    async (req) => {
      const cam = camera(req.params.camera);
      const list = await withTimeout(cam.config.id, GUARD_MS, cam.driver.presets(), 'presets');
      // Names from config win: technicians name presets for officers ("Bàn công dân", "Toàn cảnh").
      return list.map((p) => ({ ...p, name: cam.config.presetNames[p.token] ?? p.name }));
    },
  );

  app.post(
    '/:camera/presets/:token/goto',
    {
      config: { role: 'officer', audit: 'camera.preset.goto' },
      schema: {
        tags,
        summary: 'Recall a preset',
        params: PresetParams,
        querystring: Type.Object({ speed: Speed }, { additionalProperties: false }),
        response: { 200: Done, ...errors(400, 404, 502, 503) },
      },
    },
    async (req) => {
      const cam = camera(req.params.camera);
      await withTimeout(cam.config.id, GUARD_MS, cam.driver.gotoPreset(req.params.token, req.query.speed), 'goto preset');
      bus.emit('ptz', { camera: cam.config.id, action: `preset ${req.params.token}`, by: req.caller.name });
      return { ok: true as const };
    },
  );

  app.post(
    '/:camera/presets',
    {
      config: { role: 'technician', audit: 'camera.preset.set' },
      schema: {
        tags,
        summary: 'Store the current position as a preset',
        params: CameraParams,
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 64 }),
            token: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'overwrite this preset' })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ token: Type.String() }), ...errors(400, 404, 502, 503) },
      },
    },
    async (req, reply) => {
      const cam = camera(req.params.camera);
      const token = await withTimeout(cam.config.id, GUARD_MS, cam.driver.setPreset(req.body.name, req.body.token), 'set preset');
      return reply.code(201).send({ token });
    },
  );

  app.delete(
    '/:camera/presets/:token',
    {
      config: { role: 'technician', audit: 'camera.preset.remove' },
      schema: { tags, summary: 'Remove a preset', params: PresetParams, response: { 200: Done, ...errors(404, 502, 503) } },
    },
    async (req) => {
      const cam = camera(req.params.camera);
      await withTimeout(cam.config.id, GUARD_MS, cam.driver.removePreset(req.params.token), 'remove preset');
      return { ok: true as const };
    },
  );
};
