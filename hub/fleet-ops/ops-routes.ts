import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { NotFoundError } from '../../common/errors.js';
import { sendError } from '../../common/http/error-reply.js';
import { OP_BUNDLE_MAX_BYTES, OP_BUNDLE_ROUTE } from '../../common/contracts/fleet-ops.js';
import type { AuditLog } from '../audit/audit-contract.js';
import { auditAction } from '../auth/audit-hooks.js';
import { pushedConfigProblems } from './config-check.js';
import type { OpsStore } from './ops-store.js';
import { OpParams, OpRequest, OpRoomParams, OpView } from './schemas.js';

// Remote operations on a room. Technicians ask (audited) and follow them; the room takes them with its
// fleet report (hub/fleet) and PUTs a diagnostics bundle here with its own token.

const Err = Type.Ref('ErrorReply');
const tags = ['fleet-ops'];
const technician = { role: 'technician' } as const;
const GZIP = 'application/gzip';

export interface FleetOpsDeps {
  ops: OpsStore;
  audit?: AuditLog;
  /** A room enrolled at this hub (404 otherwise). */
  roomKnown: (room: string) => boolean;
}

export const fleetOpsRoutes: FastifyPluginAsyncTypebox<FleetOpsDeps> = async (app, { ops, audit, roomKnown }) => {
  app.addContentTypeParser(GZIP, { parseAs: 'buffer', bodyLimit: OP_BUNDLE_MAX_BYTES }, (_req, body, done) => done(null, body));
  const known = (room: string) => {
    if (!roomKnown(room)) throw new NotFoundError(`phòng "${room}" không có ở trung tâm này / room "${room}" is not known at this hub`);
  };
  const opOf = async (room: string, id: string) => {
    const op = await ops.get(room, id);
    if (!op) throw new NotFoundError(`không có thao tác "${id}" cho phòng "${room}" / no operation "${id}" for room "${room}"`);
    return op;
  };

  app.post(
    '/fleet/rooms/:room/ops',
    {
      config: technician,
      schema: {
        tags,
        summary: 'Ask a room for an operation (config push, diagnostics, restart, self-test); handed over with its next report',
        params: OpRoomParams,
        body: OpRequest,
        response: { 202: OpView, 400: Err, 401: Err, 403: Err, 404: Err },
      },
    },
    async (req, reply) => {
      const { room } = req.params;
      known(room);
      const body = req.body;
      if (body.kind !== 'selftest' && body.seconds !== undefined)
        return sendError(reply, 400, 'INVALID_REQUEST', `body.seconds: only for kind "selftest", not "${body.kind}"`, {
          field: '/seconds',
        });
      if (body.kind !== 'config' && (body.config !== undefined || body.mode !== undefined))
        return sendError(reply, 400, 'INVALID_REQUEST', `body.config: only for kind "config", not "${body.kind}"`, { field: '/config' });
      if (body.kind === 'config') {
        if (!body.config)
          return sendError(reply, 400, 'INVALID_REQUEST', 'body.config: kind "config" needs the config', { field: '/config' });
        const problems = pushedConfigProblems({ mode: body.mode ?? 'merge', config: body.config }, room);
        if (problems.length) {
          const p = problems[0]!;
          const all = problems.map((x) => `${x.path}: ${x.message}${x.hint ? ` (${x.hint})` : ''}`).join('; ');
          return sendError(reply, 400, 'CONFIG_INVALID', `cấu hình không hợp lệ tại ${p.path} / invalid config at ${all}`, {
            field: p.path,
          });
        }
      }
      const op = await ops.create(room, body, req.caller?.name ?? 'unknown');
      await ops.saved();
      await auditAction(audit, req, `fleet.op.${op.kind}`, `${room}/${op.id}`, op.kind === 'config' ? `mode ${op.mode}` : undefined);
      req.log.info({ room, op: op.id, kind: op.kind }, 'fleet-ops: operation asked');
      return reply.code(202).send(op);
    },
  );

  app.get(
    '/fleet/rooms/:room/ops',
    {
      config: technician,
      schema: { tags, summary: "A room's operations, newest first", params: OpRoomParams, response: { 200: Type.Array(OpView), 404: Err } },
    },
    async (req) => {
      known(req.params.room);
      return await ops.list(req.params.room);
    },
  );

  app.get(
    '/fleet/rooms/:room/ops/:id/bundle',
    {
      config: technician,
      schema: { tags, summary: 'Download the diagnostics bundle a room uploaded (tar.gz; audited)', params: OpParams },
    },
    async (req, reply) => {
      const op = await opOf(req.params.room, req.params.id);
      const bytes = op.bundle ? await ops.bundle(op.id) : undefined;
      if (!bytes) throw new NotFoundError(`phòng chưa gửi gói chẩn đoán / the room has not uploaded the bundle of "${op.id}" yet`);
      await auditAction(audit, req, 'fleet.op.bundle.read', `${op.room}/${op.id}`);
      return reply.type(GZIP).header('content-disposition', `attachment; filename="diagnostics-${op.room}-${op.id}.tar.gz"`).send(bytes);
    },
  );

  app.put(
    OP_BUNDLE_ROUTE,
    {
      config: { role: 'room' },
      bodyLimit: OP_BUNDLE_MAX_BYTES,
      schema: { tags, summary: "The room's diagnostics bundle (tar.gz, its token as Bearer)", params: OpParams },
    },
    async (req, reply) => {
      if (!Buffer.isBuffer(req.body) || req.body.length === 0)
        return sendError(reply, 400, 'INVALID_REQUEST', `body: a non-empty ${GZIP} bundle`, { field: 'body' });
      if (!(await ops.putBundle(req.params.room, req.params.id, req.body)))
        throw new NotFoundError(`no open diagnostics operation "${req.params.id}" for room "${req.params.room}"`);
      await ops.saved();
      req.log.info({ room: req.params.room, op: req.params.id, bytes: req.body.length }, 'fleet-ops: diagnostics bundle received');
      return reply.code(204).send();
    },
  );
};
