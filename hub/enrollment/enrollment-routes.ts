import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  ENROLL_ROUTE,
  ENROLLMENT_CODES_ROUTE,
  EnrollAnswer,
  EnrollRequest,
  REGISTRY_REVOKE_ROUTE,
  REGISTRY_ROOMS_ROUTE,
  RoomId,
} from '../../common/contracts/enrollment.js';
import { AppError, NotFoundError } from '../../common/errors.js';
import { errorResponses } from '../../common/http/error-reply.js';
import type { AuditLog } from '../audit/audit-contract.js';
import { createAttemptLimit } from './attempt-limit.js';
import type { CodeStore } from './codes.js';
import type { EnrollService } from './enroll-service.js';
import type { Registry } from './registry.js';
import { RegistryRoomView, roomView } from './registry-view.js';

// POST /enroll (no credential: the code's MAC is the credential; rate-limited per address), and the
// technician's side: issue a code, list pending codes, list the registry, revoke a room's key.

export interface EnrollmentRouteDeps {
  registry: Registry;
  codes: CodeStore;
  service: EnrollService;
  audit?: AuditLog;
  /** Attempts per address per 10 minutes (default 20). */
  maxAttempts?: number;
}

export const enrollmentRoutes: FastifyPluginAsyncTypebox<EnrollmentRouteDeps> = async (app, deps) => {
  const perIp = createAttemptLimit({ max: deps.maxAttempts ?? 20, windowMs: 600_000 });
  const technician = { role: 'technician' } as const;

  app.post(
    ENROLL_ROUTE,
    {
      config: { role: 'public' },
      bodyLimit: 4096,
      schema: { body: EnrollRequest, response: { 200: EnrollAnswer, ...errorResponses(400, 401, 403, 429) } },
    },
    async (req, reply) => {
      const wait = perIp.hit(req.ip);
      if (wait > 0) {
        reply.header('retry-after', String(wait));
        throw new AppError(`too many enrollment attempts from this address; try again in ${wait} s`, 429, 'TOO_MANY_ATTEMPTS');
      }
      return deps.service.enroll(req.body, req.ip);
    },
  );

  app.post(
    ENROLLMENT_CODES_ROUTE,
    {
      config: technician,
      schema: {
        body: Type.Object(
          {
            room: RoomId,
            name: Type.Optional(Type.String({ minLength: 1, maxLength: 120, description: 'room name shown to officers' })),
            ttlMinutes: Type.Optional(Type.Integer({ minimum: 5, maximum: 10_080, default: 60, description: 'how long the code works' })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ room: Type.String(), name: Type.String(), code: Type.String(), expiresAt: Type.String() }) },
      },
    },
    async (req, reply) => {
      const { room, ttlMinutes = 60 } = req.body;
      const name = req.body.name ?? deps.registry.room(room)?.name ?? room;
      const issued = await deps.codes.issue({ room, name, ttlMinutes, by: req.caller.name });
      await deps.audit?.append({
        actor: req.caller.name,
        action: 'enroll.code',
        target: room,
        outcome: 'ok',
        reason: `expires ${issued.expiresAt}`,
        ip: req.ip,
      });
      reply.code(201).header('cache-control', 'no-store');
      return { room, name, code: issued.code, expiresAt: issued.expiresAt };
    },
  );

  app.get(
    ENROLLMENT_CODES_ROUTE,
    {
      config: technician,
      schema: {
        response: {
          200: Type.Array(
            Type.Object({
              id: Type.String(),
              room: Type.String(),
              name: Type.String(),
              issuedAt: Type.String(),
              issuedBy: Type.String(),
              expiresAt: Type.String(),
            }),
          ),
        },
      },
    },
    async () =>
      (await deps.codes.pending()).map(({ id, room, name, issuedAt, issuedBy, expiresAt }) => ({
        id,
        room,
        name,
        issuedAt,
        issuedBy,
        expiresAt,
      })),
  );

  app.get(
    REGISTRY_ROOMS_ROUTE,
    // officers see why a room is offline (revoked)
    { config: { role: ['technician', 'monitor', 'officer'] }, schema: { response: { 200: Type.Array(RegistryRoomView) } } },
    async () => deps.registry.rooms().map((r) => roomView(r)),
  );

  app.post(
    REGISTRY_REVOKE_ROUTE,
    {
      config: technician,
      schema: {
        params: Type.Object({ id: RoomId }),
        body: Type.Object({ reason: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }),
        response: { 200: RegistryRoomView, ...errorResponses(404, 409) },
      },
    },
    async (req) => {
      const id = req.params.id;
      if (!deps.registry.room(id)) throw new NotFoundError(`room "${id}" is not in the registry`);
      const key = await deps.registry.revoke(id, req.caller.name, req.body?.reason);
      if (!key) throw new AppError(`room "${id}" has no active key to revoke`, 409, 'NOT_ACTIVE');
      await deps.audit?.append({
        actor: req.caller.name,
        action: 'revoke',
        target: id,
        outcome: 'ok',
        reason: `key ${key.fingerprint}${req.body?.reason ? `: ${req.body.reason}` : ''}`,
        ip: req.ip,
      });
      req.log.warn({ room: id, fingerprint: key.fingerprint }, 'room key revoked');
      return roomView(deps.registry.room(id)!);
    },
  );
};
