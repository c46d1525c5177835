import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses, sendError } from '../../common/http/error-reply.js';
import type { Archive } from './create-archive.js';
import { createRemuxer } from './remux.js';
import type { AuditLog } from '../audit/audit-contract.js';
import { auditAction } from '../auth/audit-hooks.js';
import { FileParams, HearingDetail, HearingListItem, HearingParams } from './schemas.js';

// The archive list and one hearing's verification: officers, supervisors, archivists; the files (with
// Range, for <video>): archivists only, every download audited (`config.role`).

const readers = { role: ['officer', 'supervisor', 'archivist'] } as const;
const archivist = { role: 'archivist' } as const;
const TYPES: Record<string, string> = {
  mkv: 'video/x-matroska',
  mp4: 'video/mp4',
  webm: 'video/webm',
  jsonl: 'application/x-ndjson',
  json: 'application/json',
};

/** `bytes=a-b`, `bytes=a-`, `bytes=-n` → inclusive range; undefined = whole file; null = unsatisfiable. */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | undefined | null {
  const m = header?.match(/^bytes=(\d*)-(\d*)$/);
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  let start: number, end: number;
  if (m[1] === '') [start, end] = [Math.max(0, size - Number(m[2])), size - 1];
  else [start, end] = [Number(m[1]), m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1)];
  return start <= end && start < size ? { start, end } : null;
}

/** Seconds a client waits before asking for a remux again when all `maxRemux` slots are taken. */
const REMUX_RETRY_AFTER_S = 5;

export const readRoutes: FastifyPluginAsyncTypebox<{ archive: Archive; maxRemux: number; audit?: AuditLog }> = async (
  app,
  { archive, maxRemux, audit },
) => {
  const remuxer = createRemuxer(maxRemux);

  app.get(
    '/hearings',
    {
      config: readers,
      schema: {
        tags: ['archive'],
        summary: 'Archived hearings with their verification state and book summary',
        response: { 200: Type.Array(HearingListItem), ...errorResponses(401) },
      },
    },
    async () => archive.list(),
  );

  app.get(
    '/hearings/:h',
    {
      config: readers,
      schema: {
        tags: ['archive'],
        summary: 'One archived hearing: manifest entries, segments, gaps, verification',
        params: HearingParams,
        response: { 200: HearingDetail, ...errorResponses(401, 404) },
      },
    },
    async (req, reply) => {
      const v = await archive.view(req.params.h);
      if (!v) return sendError(reply, 404, 'NOT_FOUND', `no archived hearing "${req.params.h}"`);
      const { entries, ...rest } = v.verification;
      return { hearing: req.params.h, room: v.index.room, ...rest, entries: entries.map(({ sig: _s, ...e }) => e), book: v.book };
    },
  );

  app.get(
    '/hearings/:h/files/:name',
    {
      config: archivist,
      exposeHeadRoute: false, // HEAD on this path is the upload offset (upload-routes)
      schema: {
        tags: ['archive'],
        summary:
          'Download a file; Range supported (playback). `?format=mp4` remuxes an MPEG-TS segment to fragmented MP4 for browsers (no Range; at most archive.maxRemux at once, then 503 + Retry-After)',
        params: FileParams,
        querystring: Type.Object({ format: Type.Optional(Type.Literal('mp4')) }),
        response: { 200: Type.Any(), 206: Type.Any(), ...errorResponses(401, 404, 416, 503) },
      },
    },
    async (req, reply) => {
      const { h, name } = req.params;
      const st = await archive.store.stat(h, name);
      if (!st) return sendError(reply, 404, 'NOT_FOUND', `no file "${name}" in hearing "${h}"`);
      // Every download is audited, each Range request too (a partial read is a read).
      const how = [req.query.format && `as ${req.query.format}`, req.headers.range].filter(Boolean).join(', ');
      await auditAction(audit, req, 'archive.download', `${h}/${name}`, how || undefined);
      const path = archive.store.localPath(h, name);
      if (req.query.format === 'mp4') {
        const mp4 = remuxer.start(path ?? (() => archive.store.read(h, name)), req.log); // S3: streamed into ffmpeg
        if (!mp4)
          return sendError(
            reply.header('retry-after', String(REMUX_RETRY_AFTER_S)),
            503,
            'REMUX_BUSY',
            `${maxRemux} remux(es) already running (archive.maxRemux); try again in ${REMUX_RETRY_AFTER_S} s or download the file`,
          );
        return reply.type('video/mp4').header('cache-control', 'no-store').send(mp4);
      }
      const range = parseRange(req.headers.range, st.bytes);
      // Before the file's content type: the 416 body is the JSON error (an object under video/… was a 500).
      if (range === null)
        return sendError(
          reply.header('accept-ranges', 'bytes').header('content-range', `bytes */${st.bytes}`),
          416,
          'BAD_RANGE',
          `file has ${st.bytes} bytes`,
        );
      reply
        .type(TYPES[name.split('.').pop() ?? ''] ?? 'application/octet-stream')
        .header('accept-ranges', 'bytes')
        .header('cache-control', 'private, max-age=3600');
      if (!range) return reply.header('content-length', st.bytes).send(archive.store.read(h, name));
      return reply
        .code(206)
        .header('content-range', `bytes ${range.start}-${range.end}/${st.bytes}`)
        .header('content-length', range.end - range.start + 1)
        .send(archive.store.read(h, name, range));
    },
  );
};
