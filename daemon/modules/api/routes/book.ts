import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { BookInput, BookView, HEARING_ID_PATTERN } from '../../../../common/evidence/index.js';
import { roleAllows } from '../../access/access.js';
import type { BookStore } from '../../book/book-store.js';
import { errors } from '../schemas.js';

export interface BookRouteDeps {
  book: BookStore;
}

const HearingParams = Type.Object({ hearing: Type.String({ pattern: HEARING_ID_PATTERN, description: 'hearing id' }) });
const Written = Type.Object({
  ok: Type.Literal(true),
  sha256: Type.String({ description: 'SHA-256 of book.json, as anchored in the manifest' }),
  updatedAt: Type.String(),
});

export const bookRoutes: FastifyPluginAsyncTypebox<BookRouteDeps> = async (app, { book }) => {
  const tags = ['reception book'];

  app.get(
    '/:hearing/book',
    {
      config: { role: 'monitor' },
      schema: {
        tags,
        summary: 'Read the reception book record (citizen withheld from monitors)',
        params: HearingParams,
        response: { 200: BookView, ...errors(400, 404) },
      },
    },
    async (req) => book.get(req.params.hearing, roleAllows(req.caller.role, 'officer')),
  );

  app.put(
    '/:hearing/book',
    {
      config: { role: 'officer', audit: 'book.write' },
      schema: {
        tags,
        summary: 'Create or update the reception book record during the hearing',
        params: HearingParams,
        body: BookInput,
        response: { 200: Written, ...errors(400, 409) },
      },
      // The audit log stores the request body: keep the citizen's identity out of it, on errors too.
      onSend: async (req, _reply, payload) => {
        const body = req.body as Record<string, unknown> | undefined;
        if (body && typeof body === 'object' && 'citizen' in body) (req as { body: unknown }).body = { ...body, citizen: '[withheld]' };
        return payload;
      },
    },
    async (req) => {
      const { record, sha256 } = await book.put(req.params.hearing, req.body);
      return { ok: true as const, sha256, updatedAt: record.updatedAt };
    },
  );
};
