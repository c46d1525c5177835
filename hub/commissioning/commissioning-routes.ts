import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  BANDWIDTH_MAX_BYTES,
  BANDWIDTH_ROUTE,
  BandwidthAnswer,
  COMMISSIONING_MAX_BYTES,
  COMMISSIONING_ROUTE,
  CommissioningListItem,
  CommissioningUpload,
  HUB_CLOCK_ROUTE,
  HubClock,
  SELF_TEST_HEARING_ROUTE,
  SelfTestHearing,
} from '../../common/contracts/commissioning.js';
import { NotFoundError } from '../../common/errors.js';
import { strictValidator } from '../../common/http/strict-validator.js';
import type { CommissioningStore } from './commissioning-store.js';

const Err = Type.Ref('ErrorReply');
const tags = ['commissioning'];
const Params = Type.Object({ room: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,63}$' }) });
const readers = { role: ['technician', 'monitor', 'officer', 'supervisor'] } as const;
// The report is the room's HTML: shown sandboxed, with nothing but its inline styles and embedded pictures.
const REPORT_CSP = "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'";

/** Rooms send their report (enrolled token, as the fleet report); people list the states and read a report. */
export const commissioningRoutes: FastifyPluginAsyncTypebox<{ store: CommissioningStore }> = async (app, { store }) => {
  app.post(
    COMMISSIONING_ROUTE,
    {
      config: { role: 'room' },
      bodyLimit: COMMISSIONING_MAX_BYTES + 256 * 1024,
      validatorCompiler: strictValidator,
      schema: {
        tags,
        summary: "A room's commissioning report (room's enrolled token as Bearer)",
        params: Params,
        body: CommissioningUpload,
        response: { 200: CommissioningListItem, 400: Err, 401: Err, 404: Err, 413: Err },
      },
    },
    async (req) => {
      const saved = await store.save(req.params.room, req.body);
      req.log.info(
        { room: req.params.room, state: saved.state, passed: saved.checksPassed, failed: saved.checksFailed },
        'commissioning report',
      );
      return saved;
    },
  );

  app.post(
    SELF_TEST_HEARING_ROUTE,
    {
      config: { role: 'room' },
      schema: {
        tags,
        summary: "A local hearing that is the room's self-test: its recording may be archived",
        params: Params,
        body: SelfTestHearing,
        response: { 201: SelfTestHearing, 400: Err, 401: Err, 404: Err },
      },
    },
    async (req, reply) => {
      await store.addSelfTest(req.params.room, req.body.hearing);
      return reply.code(201).send({ hearing: req.body.hearing });
    },
  );

  // Bytes to throw away: the room times the upload. Only this route parses octet-stream (encapsulated).
  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: BANDWIDTH_MAX_BYTES }, (_req, body, done) =>
    done(null, body),
  );
  app.post(
    BANDWIDTH_ROUTE,
    {
      config: { role: 'room' },
      bodyLimit: BANDWIDTH_MAX_BYTES,
      schema: {
        tags,
        summary: 'Upload bandwidth probe: the body is read and dropped',
        params: Params,
        response: { 200: BandwidthAnswer, 401: Err, 404: Err, 413: Err },
      },
    },
    async (req) => ({ bytes: (req.body as Buffer | undefined)?.length ?? 0, ms: performance.now() - (req.startedAt ?? performance.now()) }),
  );
  app.addHook('onRequest', async (req) => {
    req.startedAt = performance.now();
  });

  app.get(
    HUB_CLOCK_ROUTE,
    {
      config: { role: 'public' },
      schema: { tags, summary: "The hub's wall clock (epoch ms), for a room's offset", response: { 200: HubClock } },
    },
    async () => ({ now: Date.now() }),
  );

  app.get(
    '/fleet/commissioning',
    {
      config: readers,
      schema: { tags, summary: "Every room's last commissioning state", response: { 200: Type.Array(CommissioningListItem) } },
    },
    async () => store.list(),
  );

  app.get(
    `${COMMISSIONING_ROUTE}/report.html`,
    { config: readers, schema: { tags, summary: "A room's last commissioning report (printable HTML)", params: Params } },
    async (req, reply) => {
      const html = await store.reportHtml(req.params.room);
      if (html === undefined)
        throw new NotFoundError(`phòng ${req.params.room} chưa gửi biên bản / room "${req.params.room}" has sent no commissioning report`);
      return reply.type('text/html; charset=utf-8').header('content-security-policy', REPORT_CSP).send(html);
    },
  );
};

declare module 'fastify' {
  interface FastifyRequest {
    startedAt?: number;
  }
}
