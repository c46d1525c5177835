import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { HubRoom } from '../enrollment/live-rooms.js';
import type { Conference } from '../sfu/conference.js';
import type { FleetStore } from '../fleet/fleet-store.js';
import { hearingStats } from '../sfu/stats.js';
import type { AuditLog } from '../audit/audit-contract.js';
import { auditAction } from '../auth/audit-hooks.js';
import type { Hearing, HearingStore } from './hearing-store.js';
import { fileHearingWrites, type HearingWrites } from './hearing-writes.js';
import {
  AddRoomBody,
  CreateHearingBody,
  errors,
  HearingParams,
  HearingRoomParams,
  HearingStatsView,
  HearingView,
  RoomView,
} from './schemas.js';

// /api/v1/hearings and /api/v1/rooms. Every change goes through `writes` (file or PostgreSQL), reads the store; the conference then
// attaches or detaches the participants (sync). A change is answered once it is saved and audited.
// Officers run hearings; supervisors, technicians and monitors may look.

const officer = { role: 'officer' } as const;
const look = { role: ['officer', 'supervisor', 'technician', 'monitor'] } as const;

export interface HearingRouteOptions {
  store: HearingStore;
  /** How hearings change (files or PostgreSQL, hearing-writes.ts); absent: the store's own, saved to its file. */
  writes?: HearingWrites;
  conference: Conference;
  rooms: HubRoom[];
  /** Each room's last health report (hub/fleet); absent: `health: null`. */
  fleet?: Pick<FleetStore, 'health'>;
  /** Hearing actions are written to the hub's audit log. */
  audit?: AuditLog;
  /** A room connected to another node of the cluster (hub/cluster: its heartbeat), or undefined. */
  elsewhere?: (room: string) => { publishing: boolean } | undefined;
}

export async function hearingRoutes(fastify: FastifyInstance, opts: HearingRouteOptions) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { store, conference } = opts;
  const writes = opts.writes ?? fileHearingWrites(store);
  const view = (h: Hearing) => ({ ...h, participants: conference.hearingInfo(h.id)?.participants ?? [] });
  const savedView = async (req: FastifyRequest, action: string, h: Hearing, detail?: string) => {
    await auditAction(opts.audit, req, action, h.id, detail);
    return view(h);
  };

  app.get('/rooms', { config: look, schema: { response: { 200: Type.Array(RoomView) } } }, async () =>
    opts.rooms.map((r) => {
      const m = conference.member(r.id);
      const there = m ? undefined : opts.elsewhere?.(r.id);
      return {
        id: r.id,
        name: r.name,
        online: !!m || !!there,
        publishing: !!m?.publish || !!there?.publishing,
        hearing: store.activeOf(r.id)?.id ?? null,
        health: opts.fleet?.health(r.id) ?? null,
      };
    }),
  );

  app.get('/hearings', { config: look, schema: { response: { 200: Type.Array(HearingView) } } }, async () => store.list().map(view));

  app.post(
    '/hearings',
    { config: officer, schema: { body: CreateHearingBody, response: { 201: HearingView, ...errors(400, 404, 409, 503) } } },
    async (req, reply) => {
      const h = await writes.create(req.body.title, req.body.rooms ?? []); // answered once kept (file or database)
      return reply.code(201).send(await savedView(req, 'hearing.create', h, `rooms: ${h.rooms.join(', ') || '-'}`));
    },
  );

  app.get(
    '/hearings/:id',
    { config: look, schema: { params: HearingParams, response: { 200: HearingView, ...errors(404) } } },
    async (req) => view(store.get(req.params.id)),
  );

  app.post(
    '/hearings/:id/rooms',
    {
      config: officer,
      schema: { params: HearingParams, body: AddRoomBody, response: { 200: HearingView, ...errors(400, 404, 409, 503) } },
    },
    async (req) => savedView(req, 'hearing.add-room', await writes.addRoom(req.params.id, req.body.room), req.body.room),
  );

  app.delete(
    '/hearings/:id/rooms/:room',
    { config: officer, schema: { params: HearingRoomParams, response: { 200: HearingView, ...errors(404, 503) } } },
    async (req) => savedView(req, 'hearing.remove-room', await writes.removeRoom(req.params.id, req.params.room), req.params.room),
  );

  app.post(
    '/hearings/:id/end',
    { config: officer, schema: { params: HearingParams, response: { 200: HearingView, ...errors(404, 503) } } },
    async (req) => savedView(req, 'hearing.end', await writes.end(req.params.id)),
  );

  app.get(
    '/hearings/:id/stats',
    { config: look, schema: { params: HearingParams, response: { 200: HearingStatsView, ...errors(404) } } },
    async (req) => {
      store.get(req.params.id);
      await conference.refreshCounters(); // Janus: its Admin API read now (hub/janus/janus-counters.ts)
      return hearingStats(conference, req.params.id);
    },
  );
}
