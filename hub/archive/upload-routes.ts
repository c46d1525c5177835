import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { errorResponses, sendError } from '../../common/http/error-reply.js';
import type { Archive } from './create-archive.js';
import { BOOK, MANIFEST } from './document-upload.js';
import {
  ARCHIVE_DOCUMENTS,
  ARCHIVE_FILE_ROUTE,
  ARCHIVE_KEY_ROUTE,
  ArchiveKey,
  CHUNK_CONTENT_TYPE,
  Receipt,
  UPLOAD_COMPLETE,
  UPLOAD_HEADER,
  UploadHeaders,
  archiveDocumentRoute,
} from '../../common/contracts/archive.js';
import { FileParams, HearingParams } from './schemas.js';

// Room → hub: the resumable PATCH protocol (docs/UPLOAD.md) and the two whole-document PUTs; routes,
// headers and receipt from common/contracts/archive.ts (the room's uploader uses the same). Rooms present
// their credential (`config.role: 'room'`: the auth plugin answers 401 before anything else); a room writes
// only `<hearing>.<itself>` of a hub hearing it took part in (ownership.ts; 403 otherwise). Errors in the
// one shape (common/http).

const DOCS = new Set([MANIFEST, BOOK, 'receipts.jsonl']);

export const uploadRoutes: FastifyPluginAsyncTypebox<{ archive: Archive; maxChunkBytes: number; maxFileBytes: number }> = async (
  app,
  { archive, maxChunkBytes, maxFileBytes },
) => {
  // Raw bodies only: the chunk as a stream (written to disk as it arrives), documents as exact bytes.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(CHUNK_CONTENT_TYPE, (_req, payload, done) => done(null, payload));
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 32 * 1024 * 1024 }, (_req, body, done) => done(null, body));

  const notYours = (reply: FastifyReply, message: string) => sendError(reply, 403, 'FORBIDDEN', message);
  /** The calling room (the auth plugin identified it), bound to the hearing on first use; undefined after answering 403. */
  async function owningRoom(room: string, reply: FastifyReply, hearing: string) {
    const claim = await archive.claim(hearing, room);
    if (!claim.ok) {
      reply.log.warn({ hearing, room, reason: claim.message }, "archive: upload refused, not the room's hearing");
      return void notYours(reply, claim.message);
    }
    return room;
  }

  app.head(
    ARCHIVE_FILE_ROUTE,
    {
      config: { role: ['room', 'archivist'] },
      schema: {
        tags: ['archive'],
        summary: 'Upload offset of a file (resume point)',
        params: FileParams,
        response: { 200: Type.Null(), ...errorResponses(401, 403) },
      },
    },
    async (req, reply) => {
      const { h, name } = req.params;
      const room = req.caller.role === 'room' ? req.caller.name : undefined;
      if (room) {
        const may = archive.mayWrite(h, room);
        if (!may.ok) return notYours(reply, may.message);
        const owner = await archive.owner(h);
        if (owner && owner !== room) return notYours(reply, `hearing "${h}" belongs to room "${owner}"`);
      }
      const o = await archive.offsetOf(h, name);
      reply
        .header(UPLOAD_HEADER.offset, String(o.offset))
        .header('cache-control', 'no-store')
        .header(UPLOAD_HEADER.complete, o.complete ? UPLOAD_COMPLETE.yes : UPLOAD_COMPLETE.no);
      if (o.length !== undefined) reply.header(UPLOAD_HEADER.length, String(o.length));
      return reply.code(200).send(null);
    },
  );

  app.patch(
    ARCHIVE_FILE_ROUTE,
    {
      config: { role: 'room' },
      schema: {
        tags: ['archive'],
        summary: 'Append a chunk at Upload-Offset (application/offset+octet-stream); the last one returns the signed receipt',
        params: FileParams,
        headers: UploadHeaders,
        response: { 200: Receipt, 204: Type.Null(), ...errorResponses(400, 401, 403, 409, 413, 415, 422) },
      },
    },
    async (req, reply) => {
      const { h, name } = req.params;
      const body = req.body as Readable | Buffer | undefined;
      if (DOCS.has(name)) return sendError(reply, 400, 'USE_PUT', `${name} is uploaded whole with PUT`);
      if (!req.headers['content-type']?.startsWith(CHUNK_CONTENT_TYPE) && Number(req.headers['content-length'] ?? 0) > 0) {
        return sendError(reply, 415, 'WRONG_CONTENT_TYPE', 'chunks are application/offset+octet-stream');
      }
      const offset = req.headers[UPLOAD_HEADER.offset];
      const length = req.headers[UPLOAD_HEADER.length];
      if (offset > length) return sendError(reply, 400, 'INVALID_REQUEST', 'Upload-Offset is past Upload-Length');
      if (length > maxFileBytes) {
        return sendError(
          reply,
          413,
          'FILE_TOO_LARGE',
          `Upload-Length ${length}: a file is at most ${maxFileBytes} bytes (archive.maxFileMb)`,
        );
      }
      if (Number(req.headers['content-length'] ?? 0) > maxChunkBytes) {
        return sendError(reply, 413, 'CHUNK_TOO_LARGE', `a chunk is at most ${maxChunkBytes} bytes`);
      }
      if (!(await owningRoom(req.caller.name, reply, h))) return reply;
      const stream = body && !Buffer.isBuffer(body) ? body : Readable.from(body ? [body] : []);
      const out = await archive.patch(h, name, { offset, length, sha256: req.headers[UPLOAD_HEADER.sha256] }, stream);
      switch (out.kind) {
        case 'progress':
          return reply.code(204).header(UPLOAD_HEADER.offset, String(out.offset)).send(null);
        case 'done':
          return reply.code(200).header(UPLOAD_HEADER.offset, String(out.receipt.bytes)).send(out.receipt);
        case 'conflict':
          return sendError(reply.header(UPLOAD_HEADER.offset, String(out.offset)), 409, out.code, out.message, { offset: out.offset });
        case 'too-large':
          return sendError(reply.header(UPLOAD_HEADER.offset, String(out.offset)), 413, 'CHUNK_TOO_LARGE', out.message, {
            offset: out.offset,
          });
        case 'over-quota':
          req.log.warn({ hearing: h, file: name, room: req.caller.name, reason: out.message }, 'archive: room quota exceeded');
          return sendError(reply, 413, 'QUOTA_EXCEEDED', out.message);
        case 'refused':
          req.log.warn({ hearing: h, file: name, code: out.code, reason: out.message }, 'archive: upload refused, file discarded');
          return sendError(reply, 422, out.code, out.message);
      }
    },
  );

  const documentFile = { manifest: MANIFEST, book: BOOK } as const;
  for (const path of ARCHIVE_DOCUMENTS) {
    const doc = documentFile[path];
    app.put(
      archiveDocumentRoute(path),
      {
        config: { role: 'room' },
        schema: {
          tags: ['archive'],
          summary:
            doc === MANIFEST
              ? 'The whole manifest.jsonl: verified, must extend the archived one'
              : 'The whole book.json (replaces the previous version)',
          params: HearingParams,
          headers: Type.Object({
            [UPLOAD_HEADER.offset]: Type.Optional(
              Type.Integer({ minimum: 0, description: 'manifest only: the body is the tail after this many archived bytes' }),
            ),
          }),
          response: { 200: Receipt, ...errorResponses(401, 403, 409, 422) },
        },
      },
      async (req, reply) => {
        const { h } = req.params;
        const room = await owningRoom(req.caller.name, reply, h);
        if (!room) return reply;
        const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        const out =
          doc === MANIFEST ? await archive.putManifest(h, room, bytes, req.headers[UPLOAD_HEADER.offset]) : await archive.putBook(h, bytes);
        if (out.kind === 'done') return out.receipt;
        req.log.warn({ hearing: h, file: doc, code: out.code, reason: out.message }, 'archive: document refused');
        if (out.offset !== undefined) reply.header(UPLOAD_HEADER.offset, String(out.offset));
        return sendError(reply, out.status, out.code, out.message, { offset: out.offset });
      },
    );
  }

  app.get(
    ARCHIVE_KEY_ROUTE,
    {
      config: { role: 'public' },
      schema: {
        tags: ['archive'],
        summary: "The hub's receipt public key (base64 raw Ed25519); no auth",
        security: [],
        response: { 200: ArchiveKey },
      },
    },
    async () => ({ alg: 'Ed25519' as const, publicKey: archive.publicKey() }),
  );
};
