import { basename, dirname } from 'node:path';
import type { Readable } from 'node:stream';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { InvalidRequestError, NotFoundError } from '../../common/errors.js';
import { UPDATE_ARCHIVE_ROUTE, UPDATE_RELEASE_ROUTE } from '../../common/contracts/updates.js';
import type { AuditLog } from '../audit/audit-contract.js';
import { auditAction } from '../auth/audit-hooks.js';
import type { ReleaseLibrary } from './release-library.js';
import type { Rollout } from './rollout.js';

// Technicians put signed releases on the hub's shelf and choose which rooms run which version; rooms fetch
// the files with their own token (Range works: a weak link resumes). Every change is audited.

const Err = Type.Ref('ErrorReply');
const tags = ['updates'];
const Version = Type.Object({ version: Type.String({ pattern: '^[0-9]+\\.[0-9]+\\.[0-9]+(?:[-+][0-9A-Za-z.-]+)?$', maxLength: 64 }) });
const technician = { role: 'technician' } as const;
const readers = { role: ['technician', 'monitor'] } as const;
const fetchers = { role: ['room', 'technician'] } as const;

export const updateRoutes: FastifyPluginAsyncTypebox<{
  library: ReleaseLibrary;
  rollout: Rollout;
  rooms: () => string[];
  audit?: AuditLog;
}> = async (app, { library, rollout, rooms, audit }) => {
  app.addContentTypeParser('application/octet-stream', (_req, payload, done) => done(null, payload)); // streamed to disk

  app.get('/updates/releases', { config: readers, schema: { tags, summary: 'Releases on the shelf' } }, async () => library.list());

  app.put(
    UPDATE_RELEASE_ROUTE,
    {
      config: technician,
      schema: {
        tags,
        summary: 'Put a signed release file (checked against the release key)',
        params: Version,
        body: Type.Unknown(),
        response: {
          201: Type.Object({
            version: Type.String(),
            archive: Type.Object({ name: Type.String(), bytes: Type.Integer(), sha256: Type.String() }),
          }),
          400: Err,
          409: Err,
          503: Err,
        },
      },
    },
    async (req, reply) => {
      const version = (req.body as { manifest?: { version?: unknown } } | null)?.manifest?.version;
      if (version !== req.params.version)
        throw new InvalidRequestError('/manifest/version', `is ${JSON.stringify(version)}, the URL says ${req.params.version}`);
      const r = await library.add(req.body);
      await auditAction(audit, req, 'update.release.put', r.manifest.version, `${r.manifest.modules}, ${r.manifest.archive.bytes} bytes`);
      return reply.code(201).send({ version: r.manifest.version, archive: r.manifest.archive });
    },
  );

  app.put(
    UPDATE_ARCHIVE_ROUTE,
    {
      config: technician,
      schema: {
        tags,
        summary: "Put a release's archive (size and SHA-256 checked)",
        params: Version,
        response: { 400: Err, 404: Err, 503: Err },
      },
    },
    async (req) => {
      if (!req.headers['content-type']?.startsWith('application/octet-stream'))
        throw new InvalidRequestError('content-type', 'must be application/octet-stream');
      const v = await library.putArchive(req.params.version, req.body as Readable);
      await auditAction(audit, req, 'update.archive.put', v.version, `${v.bytes} bytes`);
      return v;
    },
  );

  for (const [route, pick] of [
    [UPDATE_RELEASE_ROUTE, 'release'],
    [UPDATE_ARCHIVE_ROUTE, 'archive'],
  ] as const)
    app.get(
      route,
      { config: fetchers, schema: { tags, summary: `Fetch a release's ${pick}`, params: Version, response: { 404: Err } } },
      async (req, reply) => {
        const files = library.files(req.params.version);
        if (!files) throw new NotFoundError(`no complete release ${req.params.version} at this hub`);
        return reply.sendFile(basename(files[pick]), dirname(files[pick]));
      },
    );

  app.get(
    '/updates/rollout',
    { config: readers, schema: { tags, summary: "Each room's target version, what it runs and how its update went" } },
    async () => rollout.view(rooms()),
  );

  app.put(
    '/updates/rollout',
    {
      config: technician,
      schema: {
        tags,
        summary: 'Set the version rooms should run (each room installs it outside hearings)',
        body: Type.Object(
          { version: Version.properties.version, rooms: Type.Array(Type.String({ maxLength: 64 }), { minItems: 1, maxItems: 1000 }) },
          { additionalProperties: false },
        ),
        response: { 400: Err },
      },
    },
    async (req) => {
      if (!library.files(req.body.version))
        throw new InvalidRequestError('/version', `no complete release ${req.body.version} on the shelf`);
      const known = new Set(rooms());
      const i = req.body.rooms.findIndex((r) => !known.has(r));
      if (i >= 0) throw new InvalidRequestError(`/rooms/${i}`, `room "${req.body.rooms[i]}" is not enrolled at this hub`);
      await rollout.set(req.body.version, req.body.rooms, req.caller?.name ?? 'unknown');
      await auditAction(audit, req, 'update.rollout.set', req.body.rooms.join(','), req.body.version);
      return rollout.view(req.body.rooms);
    },
  );
};
