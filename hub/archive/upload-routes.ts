import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Readable } from 'node:stream';
import type { AuthDeps } from '../config/auth.js';
import { deny, isOfficer, roomOf } from './archive-auth.js';
import type { Archive } from './create-archive.js';
import { BOOK, MANIFEST } from './document-upload.js';
import { ARCHIVE_DOCUMENTS, ARCHIVE_FILE_ROUTE, ARCHIVE_KEY_ROUTE, ArchiveKey, CHUNK_CONTENT_TYPE, Receipt, UPLOAD_COMPLETE, UPLOAD_HEADER, UploadHeaders, archiveDocumentRoute } from '../../common/contracts/archive.js';
import { FileParams, HearingParams } from './schemas.js';

// Room → hub: the resumable PATCH protocol (docs/UPLOAD.md) and the two whole-document PUTs; routes,
// headers and receipt from common/contracts/archive.ts (the room's uploader uses the same).

const Err = Type.Ref('ArchiveError');
const DOCS = new Set([MANIFEST, BOOK, 'receipts.jsonl']);

export const uploadRoutes: FastifyPluginAsyncTypebox<{ archive: Archive; auth: AuthDeps; maxChunkBytes: number }> = async (app, { archive, auth, maxChunkBytes }) => {
  // Raw bodies only: the chunk as a stream (written to disk as it arrives), documents as exact bytes.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(CHUNK_CONTENT_TYPE, (_req, payload, done) => done(null, payload));
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 32 * 1024 * 1024 }, (_req, body, done) => done(null, body));

  /** The calling room, bound to the hearing on first use; undefined after answering 401/403. */
  async function owningRoom(req: Parameters<typeof roomOf>[1], reply: Parameters<typeof deny>[0], hearing: string) {
    const room = roomOf(auth, req);
    if (!room) return void deny(reply, 401, 'a room secret (Bearer) is required to upload');
    if (!(await archive.claim(hearing, room))) return void deny(reply, 403, `hearing "${hearing}" belongs to another room`);
    return room;
  }

  app.head(ARCHIVE_FILE_ROUTE, {
    schema: { tags: ['archive'], summary: 'Upload offset of a file (resume point)', params: FileParams, response: { 200: Type.Null(), 401: Err, 403: Err } },
  }, async (req, reply) => {
    const { h, name } = req.params;
    const room = roomOf(auth, req);
    const owner = await archive.owner(h);
    if (!room && !isOfficer(auth, req)) return deny(reply, 401, 'a room secret or officer token is required');
    if (room && owner && owner !== room) return deny(reply, 403, `hearing "${h}" belongs to another room`);
    const o = await archive.offsetOf(h, name);
    reply.header(UPLOAD_HEADER.offset, String(o.offset)).header('cache-control', 'no-store').header(UPLOAD_HEADER.complete, o.complete ? UPLOAD_COMPLETE.yes : UPLOAD_COMPLETE.no);
    if (o.length !== undefined) reply.header(UPLOAD_HEADER.length, String(o.length));
    return reply.code(200).send(null);
  });

  app.patch(ARCHIVE_FILE_ROUTE, {
    schema: {
      tags: ['archive'],
      summary: 'Append a chunk at Upload-Offset (application/offset+octet-stream); the last one returns the signed receipt',
      params: FileParams,
      headers: UploadHeaders,
      response: { 200: Receipt, 204: Type.Null(), 400: Err, 401: Err, 403: Err, 409: Err, 413: Err, 415: Err, 422: Err },
    },
  }, async (req, reply) => {
    const { h, name } = req.params;
    const body = req.body as Readable | Buffer | undefined;
    if (DOCS.has(name)) return reply.code(400).send({ statusCode: 400, error: 'Bad Request', code: 'USE_PUT', message: `${name} is uploaded whole with PUT` });
    if (!req.headers['content-type']?.startsWith(CHUNK_CONTENT_TYPE) && Number(req.headers['content-length'] ?? 0) > 0) {
      return reply.code(415).send({ statusCode: 415, error: 'Unsupported Media Type', code: 'WRONG_CONTENT_TYPE', message: 'chunks are application/offset+octet-stream' });
    }
    const offset = req.headers[UPLOAD_HEADER.offset];
    const length = req.headers[UPLOAD_HEADER.length];
    if (offset > length) return reply.code(400).send({ statusCode: 400, error: 'Bad Request', code: 'INVALID_REQUEST', message: 'Upload-Offset is past Upload-Length' });
    if (Number(req.headers['content-length'] ?? 0) > maxChunkBytes) {
      return reply.code(413).send({ statusCode: 413, error: 'Payload Too Large', code: 'CHUNK_TOO_LARGE', message: `a chunk is at most ${maxChunkBytes} bytes` });
    }
    if (!(await owningRoom(req, reply, h))) return reply;
    const stream = body && !Buffer.isBuffer(body) ? body : Readable.from(body ? [body] : []);
    const out = await archive.patch(h, name, { offset, length, sha256: req.headers[UPLOAD_HEADER.sha256] }, stream);
    switch (out.kind) {
      case 'progress':
        return reply.code(204).header(UPLOAD_HEADER.offset, String(out.offset)).send(null);
      case 'done':
        return reply.code(200).header(UPLOAD_HEADER.offset, String(out.receipt.bytes)).send(out.receipt);
      case 'conflict':
        return reply.code(409).header(UPLOAD_HEADER.offset, String(out.offset)).send({ statusCode: 409, error: 'Conflict', code: out.code, message: out.message, offset: out.offset });
      case 'too-large':
        return reply.code(413).header(UPLOAD_HEADER.offset, String(out.offset)).send({ statusCode: 413, error: 'Payload Too Large', code: 'CHUNK_TOO_LARGE', message: out.message, offset: out.offset });
      case 'refused':
        req.log.warn({ hearing: h, file: name, code: out.code, reason: out.message }, 'archive: upload refused, file discarded');
        return reply.code(422).send({ statusCode: 422, error: 'Unprocessable Entity', code: out.code, message: out.message });
    }
  });

  const documentFile = { manifest: MANIFEST, book: BOOK } as const;
  for (const path of ARCHIVE_DOCUMENTS) {
    const doc = documentFile[path];
    app.put(archiveDocumentRoute(path), {
      schema: {
        tags: ['archive'],
        summary: doc === MANIFEST ? 'The whole manifest.jsonl: verified, must extend the archived one' : 'The whole book.json (replaces the previous version)',
        params: HearingParams,
        headers: Type.Object({ [UPLOAD_HEADER.offset]: Type.Optional(Type.Integer({ minimum: 0, description: 'manifest only: the body is the tail after this many archived bytes' })) }),
        response: { 200: Receipt, 401: Err, 403: Err, 409: Err, 422: Err },
      },
    }, async (req, reply) => {
      const { h } = req.params;
      const room = await owningRoom(req, reply, h);
      if (!room) return reply;
      const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const out = doc === MANIFEST ? await archive.putManifest(h, room, bytes, req.headers[UPLOAD_HEADER.offset]) : await archive.putBook(h, bytes);
      if (out.kind === 'done') return out.receipt;
      req.log.warn({ hearing: h, file: doc, code: out.code, reason: out.message }, 'archive: document refused');
      if (out.offset !== undefined) reply.header(UPLOAD_HEADER.offset, String(out.offset));
      return reply.code(out.status).send({ statusCode: out.status, error: 'Refused', code: out.code, message: out.message, offset: out.offset });
    });
  }

  app.get(ARCHIVE_KEY_ROUTE, {
    schema: { tags: ['archive'], summary: 'The hub\'s receipt public key (base64 raw Ed25519); no auth', security: [], response: { 200: ArchiveKey } },
  }, async () => ({ alg: 'Ed25519' as const, publicKey: archive.publicKey() }));
};
