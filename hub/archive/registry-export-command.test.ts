import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateApplianceKey, keyFingerprint, publicKeyPemFromRaw, verifyRegistryExport } from '../../common/evidence/index.js';
import { silentLogger } from '../../common/log.js';
import { REGISTRY_FILE } from '../enrollment/create-enrollment.js';
import { openRegistry } from '../enrollment/registry.js';
import { defaultKeyFile } from './create-archive.js';
import { loadOrCreateHubKey } from './hub-key.js';
import { runRegistryExportCommand } from './registry-export-command.js';
import { tmp } from './test/fake-hearing.js';

// `reception hub registry-export` on the hub machine: the registry file and the hub key of the state dir.

describe('reception hub registry-export', () => {
  it('writes the signed export of the state dir; without a registry or a hub key: exit 1', async () => {
    const stateDir = tmp('registry-export-');
    expect(await runRegistryExportCommand(['--state-dir', stateDir])).toBe(1); // nothing enrolled yet
    const box = generateApplianceKey();
    const registry = await openRegistry({ file: join(stateDir, REGISTRY_FILE), logger: silentLogger() });
    await registry.enroll({ room: 'room-a', name: 'Phòng A', publicKeyPem: publicKeyPemFromRaw(box.publicKeyRaw), by: 'technician:lan' });
    expect(await runRegistryExportCommand(['--state-dir', stateDir])).toBe(1); // no hub key yet
    const hub = await loadOrCreateHubKey(defaultKeyFile(stateDir));
    const out = join(stateDir, 'export.json');
    expect(await runRegistryExportCommand(['--state-dir', stateDir, '--out', out])).toBe(0);
    const v = verifyRegistryExport(JSON.parse(readFileSync(out, 'utf8')), hub.publicKeyRaw);
    expect(v.ok).toBe(true);
    if (v.ok)
      expect(v.doc.rooms).toMatchObject([
        { id: 'room-a', keys: [{ fingerprint: keyFingerprint(box.publicKeyRaw), enrolledBy: 'technician:lan' }] },
      ]);
    expect(await runRegistryExportCommand(['--bogus'])).toBe(2);
    expect(await runRegistryExportCommand(['--state-dir', stateDir, '--config', 'x.json'])).toBe(2);
  });
});
