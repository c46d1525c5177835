import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { RegistryExport, signRegistryExport, type ExportableRoom } from '../../common/evidence/index.js';
import { ed25519KeyInfo } from '../../common/contracts/enrollment.js';
import { errorResponses } from '../../common/http/error-reply.js';
import type { AuditLog } from '../audit/audit-contract.js';
import { auditAction } from '../auth/audit-hooks.js';
import type { RoomRegistry } from '../enrollment/registry-contract.js';
import type { Archive } from './create-archive.js';

// `GET /api/v1/registry/export` (technician, archivist): every room and every key it enrolled, with
// validity, signed with the hub's receipt key (hub-key.ts), so `reception verify DIR --registry FILE
// --hub-key KEY` checks a hearing's signing key offline, years later, without the hub.

export const REGISTRY_EXPORT_ROUTE = '/registry/export';

/** The registry as the export carries it, signed. */
export function registryExport(registry: RoomRegistry, hubPrivateKeyPem: string, at = new Date()) {
  const rooms: ExportableRoom[] = registry.rooms().map((r) => ({
    id: r.id,
    name: r.name,
    keys: r.keys.map(({ publicKeyPem, fingerprint: _f, ...k }) => {
      const info = ed25519KeyInfo(publicKeyPem);
      if (!info) throw new Error(`registry: room "${r.id}" holds a key that is not Ed25519`);
      return { ...k, publicKeyRaw: info.raw };
    }),
  }));
  return signRegistryExport(rooms, hubPrivateKeyPem, at);
}

export const registryExportRoutes: FastifyPluginAsyncTypebox<{ archive: Archive; audit?: AuditLog }> = async (app, { archive, audit }) => {
  app.get(
    REGISTRY_EXPORT_ROUTE,
    {
      config: { role: ['technician', 'archivist'] },
      schema: {
        tags: ['archive'],
        summary: "Rooms and their enrolled keys with validity, signed by the hub's receipt key (for offline `reception verify --registry`)",
        response: { 200: RegistryExport, ...errorResponses(401, 403) },
      },
    },
    async (req, reply) => {
      const doc = archive.exportRegistry();
      await auditAction(audit, req, 'registry.export', undefined, `${doc.rooms.length} room(s)`);
      return reply
        .header('cache-control', 'no-store')
        .header('content-disposition', 'attachment; filename="registry-export.json"')
        .send(doc);
    },
  );
};
