import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { NotFoundError } from '../../../../common/errors.js';
import { withTimeout } from '../../../../common/timeout.js';
import type { Devices } from '../../devices/create-devices.js';
import type { EventBus } from '../../events/event-bus.js';
import { CameraLimits, CameraSummary } from '../../../../common/contracts/daemon-api/room.js';
import { outOfLimits } from './camera-limits.js';
import { CameraParams, Delta, Done, Position, PtzStatusSchema, Speed, Velocity, errors } from '../schemas.js';

export interface CameraRouteDeps {
  devices: Devices;
  bus: EventBus;
}

// Last line of defence: even a driver that forgets its own timeout cannot hold a request past 2 s.
const GUARD_MS = 1900;

export const cameraRoutes: FastifyPluginAsyncTypebox<CameraRouteDeps> = async (app, { devices, bus }) => {
  const camera = (id: string) => {
    const cam = devices.cameras.get(id);
    if (!cam) throw new NotFoundError(`no camera "${id}"; known: ${[...devices.cameras.keys()].join(', ')}`);
    return cam.driver;
  };
  const act = async (id: string, action: string, by: string, work: Promise<void>) => {
    await withTimeout(id, GUARD_MS, work, action);
    bus.emit('ptz', { camera: id, action, by });
    return { ok: true as const };
  };
  const tags = ['cameras'];

  app.get(
    '/',
    { config: { role: 'monitor' }, schema: { tags, summary: 'List cameras', response: { 200: Type.Array(CameraSummary) } } },
    async () =>
      [...devices.cameras.values()].map(({ config, driver }) => ({
        id: config.id,
        name: config.name,
        driver: config.driver,
        health: driver.health(),
      })),
  );

  app.get(
    '/:camera/status',
    {
      config: { role: 'monitor' },
      schema: {
        tags,
        summary: 'Position and movement',
        params: CameraParams,
        response: { 200: PtzStatusSchema, ...errors(404, 503, 502) },
      },
    },
    async (req) => withTimeout(req.params.camera, GUARD_MS, camera(req.params.camera).status(), 'status'),
  );

  app.get(
    '/:camera/limits',
    {
      config: { role: 'monitor' },
      schema: {
        tags,
        summary: 'What the camera can reach (read from it at connect): absolute moves outside are refused with 400',
        params: CameraParams,
        response: { 200: CameraLimits, ...errors(404) },
      },
    },
    async (req) => camera(req.params.camera).limits(),
  );

  const move = { role: 'officer' as const };
  app.post(
    '/:camera/move/continuous',
    {
      config: { ...move, audit: 'camera.move.continuous' },
      schema: {
        tags,
        summary: 'Move at a velocity until stop or timeout',
        params: CameraParams,
        body: Type.Object(
          {
            velocity: Velocity,
            timeoutMs: Type.Optional(Type.Integer({ minimum: 50, maximum: 60_000, description: 'stop by itself after this long' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Done, ...errors(400, 404, 502, 503) },
      },
    },
    async (req) =>
      act(
        req.params.camera,
        'continuous',
        req.caller.name,
        camera(req.params.camera).continuousMove(req.body.velocity, req.body.timeoutMs),
      ),
  );

  app.post(
    '/:camera/stop',
    {
      config: { ...move, audit: 'camera.stop' },
      schema: { tags, summary: 'Stop moving', params: CameraParams, response: { 200: Done, ...errors(404, 502, 503) } },
    },
    async (req) => act(req.params.camera, 'stop', req.caller.name, camera(req.params.camera).halt()),
  );

  app.post(
    '/:camera/move/absolute',
    {
      config: { ...move, audit: 'camera.move.absolute' },
      schema: {
        tags,
        summary: 'Move to a position',
        params: CameraParams,
        body: Type.Object({ position: Position, speed: Speed }, { additionalProperties: false }),
        response: { 200: Done, ...errors(400, 404, 502, 503) },
      },
    },
    async (req) => {
      const driver = camera(req.params.camera);
      // The camera's own range, not the generic one: a zoom that ends at 0.5 refuses 0.8 here, naming both.
      const refusal = outOfLimits(req.params.camera, driver.limits(), req.body.position);
      if (refusal) throw refusal;
      return act(req.params.camera, 'absolute', req.caller.name, driver.absoluteMove(req.body.position, req.body.speed));
    },
  );

  app.post(
    '/:camera/move/relative',
    {
      config: { ...move, audit: 'camera.move.relative' },
      schema: {
        tags,
        summary: 'Move by an offset',
        params: CameraParams,
        body: Type.Object({ delta: Delta, speed: Speed }, { additionalProperties: false }),
        response: { 200: Done, ...errors(400, 404, 502, 503) },
      },
    },
    async (req) =>
      act(req.params.camera, 'relative', req.caller.name, camera(req.params.camera).relativeMove(req.body.delta, req.body.speed)),
  );

  app.post(
    '/:camera/home',
    {
      config: { ...move, audit: 'camera.home' },
      schema: { tags, summary: 'Go to the home position', params: CameraParams, response: { 200: Done, ...errors(404, 502, 503) } },
    },
    async (req) => act(req.params.camera, 'home', req.caller.name, camera(req.params.camera).home()),
  );
};
