import { mkdir, readFile, writeFile, rename } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { openLowdbDocument } from '../../common/storage/lowdb-document.js';
import type { Logger } from '../../common/log.js';
import { OpRecord } from './schemas.js';

// Remote operations at the hub: `<stateDir>/fleet-ops.json` (lowdb, atomic temp + rename, 0600 from the
// temp file's creation: a pushed config may hold camera passwords) and each diagnostics bundle as
// `<stateDir>/fleet-ops/<id>.tar.gz`. A corrupt file is moved aside: the hub must come up.

const OpsDocument = Type.Object({ version: Type.Literal(1), ops: Type.Array(OpRecord) });

export async function openOpsFile(stateDir: string, logger: Logger) {
  const { db } = await openLowdbDocument(
    join(stateDir, 'fleet-ops.json'),
    OpsDocument,
    () => ({ version: 1 as const, ops: [] }),
    logger,
    'FLEET OPS FILE IS CORRUPT: moved aside, starting with no remote operations',
    { mode: 0o600 },
  );
  const bundles = join(stateDir, 'fleet-ops');
  const bundleFile = (id: string) => join(bundles, `${id}.tar.gz`);
  return {
    ops: structuredClone(db.data.ops),
    async save(ops: OpRecord[]) {
      db.data = { version: 1, ops: structuredClone(ops) };
      await db.write();
    },
    async putBundle(id: string, bytes: Buffer) {
      await mkdir(bundles, { recursive: true, mode: 0o700 });
      await writeFile(`${bundleFile(id)}.part`, bytes, { mode: 0o600 }); // logs and config: the technicians' eyes only
      await rename(`${bundleFile(id)}.part`, bundleFile(id));
    },
    bundle: async (id: string) => (existsSync(bundleFile(id)) ? readFile(bundleFile(id)) : undefined),
  };
}
export type OpsFile = Awaited<ReturnType<typeof openOpsFile>>;
