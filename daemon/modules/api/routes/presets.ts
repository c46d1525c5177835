import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AppError, NotFoundError } from '../../../../common/errors.js';
import { withTimeout } from '../../../../common/timeout.js';
import { roleAllows } from '../../access/access.js';
import type { Devices } from '../../devices/create-devices.js';
import type { EventBus } from '../../events/event-bus.js';
import { Preset } from '../../../../common/contracts/daemon-api/room.js';
import { CameraParams, Done, PresetParams, Speed, errors } from '../schemas.js';
import { presetLists } from './preset-lists.js';
import { officerPresets, recallRefusal, technicianPresets } from './preset-policy.js';

const GUARD_MS = 1900;
const VIEWS = ['named', 'all'] as const;

/**
 * Camera presets (policy: preset-policy.ts). Officers list and recall the room's named presets only;
 * technicians see every preset with its `function` flag, recall a function preset with `confirm=true`,
 * store and remove presets.
 */
export const presetRoutes: FastifyPluginAsyncTypebox<{ devices: Devices; bus: EventBus }> = async (app, { devices, bus }) => {
  const camera = (id: string) => {
    const cam = devices.cameras.get(id);
    if (!cam) throw new NotFoundError(`no camera "${id}"; known: ${[...devices.cameras.keys()].join(', ')}`);
    return cam;
  };
  const tags = ['presets'];
  const lists = presetLists();
  const warned = new Set<string>();

  app.get(
    '/:camera/presets',
    {
      config: { role: 'monitor' },
      schema: {
        tags,
        summary: "List presets: the room's named ones (officers), or every one the camera holds (technicians)",
        params: CameraParams,
        querystring: Type.Object(
          {
            view: Type.Optional(
              Type.Union(
                VIEWS.map((v) => Type.Literal(v)),
                {
                  description: "named: the room's presets, as officers see them; all: the camera's whole list (technicians; their default)",
                },
              ),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(Preset), ...errors(403, 404, 502, 503) },
      },
    },
    async (req) => {
      const cam = camera(req.params.camera);
      const technician = roleAllows(req.caller.role, 'technician');
      const view = req.query.view ?? (technician ? 'all' : 'named');
      if (view === 'all' && !technician)
        throw new AppError(
          'chỉ kỹ thuật viên xem được mọi preset của camera / only technicians may list every camera preset (view=all)',
          403,
          'FORBIDDEN',
        );
      const list = await withTimeout(
        cam.config.id,
        GUARD_MS,
        lists.read(cam.config.id, () => cam.driver.presets()),
        'presets',
      );
      if (view === 'all') return technicianPresets(list, cam.config.presetNames);
      const shown = officerPresets(list, cam.config.presetNames);
      // A named preset officers cannot have (a function slot, or gone from the camera): say so once, for the technician.
      for (const p of cam.config.presetNames) {
        const key = `${cam.config.id}/${p.token}`;
        if (shown.some((s) => s.token === p.token) || warned.has(key)) continue;
        warned.add(key);
        const held = list.find((h) => h.token === p.token);
        req.log.warn(
          { camera: cam.config.id, token: p.token, function: held?.function },
          held
            ? 'named preset is a vendor function preset: not shown to officers'
            : 'named preset is not on the camera: not shown to officers',
        );
      }
      return shown;
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
        querystring: Type.Object(
          {
            speed: Speed,
            confirm: Type.Optional(Type.Boolean({ description: 'technicians: run a vendor function preset (reboot, OSD menu, scan…)' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Done, ...errors(400, 403, 404, 502, 503) },
      },
    },
    async (req) => {
      const cam = camera(req.params.camera);
      const { token } = req.params;
      const named = cam.config.presetNames;
      const technician = roleAllows(req.caller.role, 'technician');
      const ask = { camera: cam.config.id, token, named, technician, confirm: req.query.confirm === true };
      // An officer naming a token the room never named is refused without asking the camera.
      if (!technician && !named.some((p) => p.token === token)) throw recallRefusal({ ...ask, held: [] });
      // One guard over both calls: the camera's list (is the token a function preset? still held?) then the move.
      const recall = async () => {
        const hit = lists.cached(cam.config.id, token);
        const held = hit ? [hit] : await lists.read(cam.config.id, () => cam.driver.presets());
        const refusal = recallRefusal({ ...ask, held });
        if (refusal) throw refusal;
        await cam.driver.gotoPreset(token, req.query.speed);
      };
      await withTimeout(cam.config.id, GUARD_MS, recall(), 'goto preset');
      bus.emit('ptz', { camera: cam.config.id, action: `preset ${token}`, by: req.caller.name });
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
      lists.forget(cam.config.id);
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
      lists.forget(cam.config.id);
      await withTimeout(cam.config.id, GUARD_MS, cam.driver.removePreset(req.params.token), 'remove preset');
      return { ok: true as const };
    },
  );
};
