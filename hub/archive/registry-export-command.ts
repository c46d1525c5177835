import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { publicKeyRawFromPem } from '../../common/evidence/index.js';
import { silentLogger } from '../../common/log.js';
import { loadHubConfig } from '../config/load-config.js';
import { REGISTRY_FILE } from '../enrollment/create-enrollment.js';
import { openRegistry } from '../enrollment/registry.js';
import { openPgRegistry } from '../enrollment/registry-pg.js';
import { openHubStore } from '../store/hub-store.js';
import { defaultKeyFile } from './create-archive.js';
import { registryExport } from './registry-export.js';

export const usage = `Usage: reception hub registry-export [--config FILE | --state-dir DIR] [--out FILE]

Xuất sổ đăng ký thiết bị (các phòng, khoá và thời hạn hiệu lực) có chữ ký của trung tâm, để kiểm tra hồ sơ
phiên ngoại tuyến: reception verify DIR --registry FILE --hub-key KEY.
Export the room registry (rooms, keys, validity) signed with the hub's receipt key, on the hub machine
without the API (the same document as GET /api/v1/registry/export), for offline checks:
reception verify DIR --registry FILE --hub-key KEY.
Hub nodes on PostgreSQL (the config's store): the registry is read from the database, the key from the state dir.

Exit 0: written (stdout, or --out). Exit 1: no registry or no hub key in the state dir. Exit 2: usage.
`;

export async function runRegistryExportCommand(argv: string[]): Promise<number> {
  let values: { config?: string; 'state-dir'?: string; out?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        config: { type: 'string', short: 'c' },
        'state-dir': { type: 'string' },
        out: { type: 'string', short: 'o' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${usage}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(usage);
    return 0;
  }
  if (values.config !== undefined && values['state-dir'] !== undefined) {
    process.stderr.write(`give --config or --state-dir, not both\n${usage}`);
    return 2;
  }
  const config = values['state-dir'] === undefined ? await loadHubConfig(values.config) : undefined;
  const stateDir = resolve(values['state-dir'] ?? config!.stateDir);
  const file = join(stateDir, REGISTRY_FILE);
  const keyFile = defaultKeyFile(stateDir); // every node holds the same receipt key (hub/cluster/README.md)
  if (!config?.store && !existsSync(file)) return fail(`không có sổ đăng ký / no room registry at ${file}`);
  const hubPem = await readFile(keyFile, 'utf8').catch(() => undefined);
  if (!hubPem) return fail(`không có khoá trung tâm / no hub receipt key at ${keyFile}`);
  const doc = config?.store
    ? await exportFromDatabase(config.store, hubPem)
    : registryExport(await openRegistry({ file, logger: silentLogger() }), hubPem);
  const text = `${JSON.stringify(doc, null, 2)}\n`;
  if (values.out) await writeFile(values.out, text, { mode: 0o640 });
  else process.stdout.write(text);
  const hubKey = publicKeyRawFromPem(hubPem).toString('base64');
  process.stderr.write(
    `${doc.rooms.length} phòng, ${doc.rooms.reduce((n, r) => n + r.keys.length, 0)} khoá / room(s), key(s); ` +
      `khoá trung tâm / hub key ${hubKey}\nreception verify DIR --registry ${values.out ?? 'FILE'} --hub-key ${hubKey}\n`,
  );
  return 0;
}

/** Hub nodes on PostgreSQL (the config's `store`): the registry is read from the database. */
async function exportFromDatabase(url: string, hubPem: string) {
  const store = await openHubStore(url, silentLogger()); // a clear error naming the (redacted) URL when unreachable
  try {
    const registry = await openPgRegistry({ pool: store.pool, url, logger: silentLogger() });
    try {
      return registryExport(registry, hubPem);
    } finally {
      await registry.close();
    }
  } finally {
    await store.close();
  }
}

function fail(why: string): number {
  process.stderr.write(`reception hub registry-export: ${why}\n`);
  return 1;
}
