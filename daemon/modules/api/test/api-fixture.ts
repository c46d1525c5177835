import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger, type Logger } from '../../../../common/log.js';
import { validateConfig } from '../../../config/load-config.js';
import type { CameraConfig } from '../../../config/schema.js';
import { SimPtz } from '../../../drivers/ptz/sim-ptz.js';
import { SimDsp } from '../../../drivers/dsp/sim-dsp.js';
import { hashToken } from '../../access/access.js';
import { createAuditLog } from '../../audit/audit-log.js';
import { assembleDevices } from '../../devices/create-devices.js';
import { createEventBus } from '../../events/event-bus.js';
import { buildApi } from '../create-api.js';

export const TOKENS = { officer: 'officer-secret', technician: 'tech-secret', monitor: 'monitor-secret' };

/** A daemon API over in-process simulated devices, for `inject()` tests. */
export async function apiFixture(
  loopbackRole: 'technician' | 'monitor' | 'none' = 'technician',
  logger: Logger = silentLogger(),
  /** cam1 as another simulated camera (a dome with function presets, a limited zoom) and its named presets. */
  cam1?: { driver: SimPtz; presetNames: CameraConfig['presetNames'] },
) {
  const config = validateConfig({});
  const cam = cam1?.driver ?? new SimPtz({ id: 'cam1', timeoutMs: 1500 });
  const slow = new SimPtz({ id: 'cam2', timeoutMs: 1500 });
  const dsp = new SimDsp({ channels: config.audio.channels.map((c) => ({ id: c.id, name: c.name })), meterRateMs: 100 });
  const bus = createEventBus();
  const devices = assembleDevices(
    [
      { config: { ...config.cameras[0], presetNames: cam1?.presetNames ?? [{ token: '1', name: 'Bàn công dân' }] }, driver: cam },
      { config: { ...config.cameras[0], id: 'cam2', name: 'Camera phụ' }, driver: slow },
    ],
    dsp,
    config.audio.presets,
    bus,
    silentLogger(),
  );
  await devices.start();
  const auditFile = join(mkdtempSync(join(tmpdir(), 'audit-')), 'audit.jsonl');
  const audit = createAuditLog(auditFile);
  const app = await buildApi({
    host: '127.0.0.1',
    port: 0,
    room: { id: 'room-test', name: 'Phòng thử' },
    version: 'test',
    access: {
      loopbackRole,
      tokens: Object.entries(TOKENS).map(([role, t]) => ({ name: `${role}-user`, role: role as 'officer', sha256: hashToken(t) })),
    },
    audit,
    devices,
    bus,
    logger,
  });
  await app.ready();
  return { app, cam, slow, dsp, audit, bus, close: async () => (await app.close(), await devices.stop()) };
}

/** inject() defaults to 127.0.0.1; this makes a request look like it came from the LAN. */
export const REMOTE = { remoteAddress: '10.1.2.3' };
