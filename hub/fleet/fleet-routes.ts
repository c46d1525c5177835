import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { BookInput } from '../../common/evidence/index.js';
import { ConflictError, type HearingStore } from '../hearings/hearing-store.js';
import { NotFoundError } from '../../common/errors.js';
import { sendError } from '../../common/http/error-reply.js';
import type { HubRoom } from '../enrollment/live-rooms.js';
import { strictValidator } from '../../common/http/strict-validator.js';
import type { FleetStore } from './fleet-store.js';
import type { AuditLog } from '../audit/audit-contract.js';
import { auditAction } from '../auth/audit-hooks.js';
import { FLEET_REPORT_ROUTE, ReportAnswer, RoomReport } from '../../common/contracts/fleet.js';
import { BookAccepted, BookEntryView, BookParams, FleetRoomView, ReportParams } from './schemas.js';

const Err = Type.Ref('ErrorReply');
const tags = ['fleet'];

/**
 * Room → hub: the room's own secret as Bearer token (as for the archive uploads). The auth plugin checks it
 * before the body is validated (a stranger learns nothing about the body schema): another room's secret 401,
 * an unknown room 404.
 */
export const fleetReportRoutes: FastifyPluginAsyncTypebox<{
  fleet: FleetStore;
  /** Also told of every accepted report (the rooms' 24 h history, fleet-history.ts). */
  onReport?: (room: string, report: RoomReport) => void;
  /** Remote operations (hub/fleet-ops): the room's results taken, its open operations handed over in the answer. */
  ops?: {
    exchange(room: string, results?: RoomReport['opResults']): NonNullable<ReportAnswer['ops']> | Promise<NonNullable<ReportAnswer['ops']>>;
    /** Resolves once what exchange changed is saved (the file backend writes behind). */
    saved?(): Promise<void>;
  };
  /** Software updates (hub/updates): the version this room should run, offered until it runs it. */
  updates?: { offer(room: string, running: string, status: RoomReport['update']): ReportAnswer['update'] };
}> = async (app, { fleet, onReport, ops, updates }) => {
  app.post(
    FLEET_REPORT_ROUTE,
    {
      config: { role: 'room' },
      validatorCompiler: strictValidator, // also the app's; kept here so this route never falls back to fastify's coercing ajv
      schema: {
        tags,
        summary: "A room's health report; the answer carries reception book entries for it (room secret as Bearer)",
        params: ReportParams,
        body: RoomReport,
        response: { 200: ReportAnswer, 400: Err, 401: Err, 404: Err },
      },
    },
    async (req) => {
      const out = await fleet.report(req.params.room, req.body);
      onReport?.(req.params.room, req.body);
      const handed = (await ops?.exchange(req.params.room, req.body.opResults)) ?? [];
      // The room forgets a result once answered: it must be on disk first (a hub killed in between kept it 'handed-over').
      if (req.body.opResults?.length) await ops?.saved?.();
      if (out.applied || out.book.length)
        req.log.info(
          { room: req.params.room, acks: out.applied, handedOver: out.book.map((b) => `${b.hearing}@${b.version}`) },
          'fleet: reception book entries',
        );
      // The hub's clock as late as possible: the room measures its offset against it (NTP-style, daemon/modules/clock).
      const update = updates?.offer(req.params.room, req.body.version, req.body.update);
      return {
        book: out.book,
        hubTime: new Date().toISOString(),
        ...(handed.length ? { ops: handed } : {}),
        ...(update ? { update } : {}),
      };
    },
  );
};

export interface FleetOfficerDeps {
  fleet: FleetStore;
  /** Book writes and every book read are audited. */
  audit?: AuditLog;
  store: HearingStore;
  rooms: HubRoom[];
  online: (room: string) => boolean;
}

/**
 * People: the fleet list (technicians, monitors, and the officers running hearings); the reception book —
 * officers write it and follow its delivery, only supervisors read the citizen's identity back (every
 * such read audited); an officer's read has `citizen: null`.
 */
const officer = { role: 'officer' } as const;
const bookReaders = { role: ['officer', 'supervisor'] } as const;
const fleetReaders = { role: ['technician', 'monitor', 'officer', 'supervisor'] } as const;
export const fleetOfficerRoutes: FastifyPluginAsyncTypebox<FleetOfficerDeps> = async (app, { fleet, store, rooms, online, audit }) => {
  app.get(
    '/fleet/rooms',
    {
      config: fleetReaders,
      schema: { tags, summary: 'Every configured room with its last health report', response: { 200: Type.Array(FleetRoomView) } },
    },
    async () => rooms.map((r) => ({ id: r.id, name: r.name, online: online(r.id), health: fleet.health(r.id) })),
  );

  const roomOfHearing = (id: string, room: string) => {
    const h = store.get(id); // 404
    if (!h.rooms.includes(room)) throw new NotFoundError(`room "${room}" is not in hearing "${id}"`);
    return h;
  };

  app.put(
    '/hearings/:id/rooms/:room/book',
    {
      config: officer,
      schema: {
        tags,
        summary: 'Enter the reception book record for a room of the hearing; handed to the room with its next report',
        params: BookParams,
        body: BookInput,
        response: { 202: BookAccepted, 400: Err, 404: Err, 409: Err },
      },
    },
    async (req, reply) => {
      const h = roomOfHearing(req.params.id, req.params.room);
      if (h.state !== 'active') throw new ConflictError(`hearing "${h.id}" has ended: the room's manifest is closed`);
      if (!Number.isFinite(Date.parse(req.body.receivedAt)))
        return sendError(reply, 400, 'INVALID_REQUEST', 'body.receivedAt: not a real date and time', { field: 'body.receivedAt' });
      const slot = await fleet.putBook(h.id, req.params.room, req.body);
      await fleet.saved();
      await auditAction(audit, req, 'book.write', `${h.id}/${req.params.room}`, `version ${slot.version}`);
      req.log.info(
        { hearing: h.id, room: req.params.room, version: slot.version, classification: slot.entry.classification },
        'fleet: reception book entry pending',
      );
      return reply.code(202).send({ state: 'pending' as const, version: slot.version, updatedAt: slot.updatedAt });
    },
  );

  app.get(
    '/hearings/:id/rooms/:room/book',
    {
      config: bookReaders,
      schema: {
        tags,
        summary:
          "The reception book entry of a room of the hearing and its delivery state; the citizen's identity only for supervisors (every such read audited), null for officers",
        params: BookParams,
        response: { 200: BookEntryView, 404: Err },
      },
    },
    async (req) => {
      roomOfHearing(req.params.id, req.params.room);
      const slot = await fleet.getBook(req.params.id, req.params.room);
      if (!slot) throw new NotFoundError(`no reception book entry for room "${req.params.room}" in hearing "${req.params.id}"`);
      if (!req.caller.roles?.includes('supervisor')) return { ...slot, entry: { ...slot.entry, citizen: null } };
      await auditAction(audit, req, 'book.read', `${req.params.id}/${req.params.room}`, `version ${slot.version}`);
      return slot;
    },
  );
};
