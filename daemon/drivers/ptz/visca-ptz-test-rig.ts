// Test rig shared by the VISCA driver tests: real socat ptys, no mocks.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPtyPair, type PtyPair } from '../../../common/pty/socat-pair.js';
import { createViscaCameraSim, type ViscaCameraSim } from '../../../simulators/visca-camera/index.js';
import { ViscaPtz, type ViscaPtzOptions } from './visca-ptz.js';

/** A VISCA camera simulator behind a real socat pty pair, and a driver on the other end. */
export async function viscaRig(name: string, extra: Partial<ViscaPtzOptions> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'visca-'));
  let pair: PtyPair = await openPtyPair(dir, name);
  const sim: ViscaCameraSim = createViscaCameraSim({ path: pair.simEnd });
  await sim.start();
  const driver = new ViscaPtz({ id: `cam-${name}`, path: pair.deviceEnd, timeoutMs: 1500, ...extra });
  await driver.start();
  return {
    dir,
    sim,
    driver,
    /** Unplug: the sim lets go of its port and the cable (socat pair) disappears; plug back at the same path. */
    async setOffline(off: boolean) {
      if (off) {
        await sim.setFaults({ offline: true });
        await pair.close();
      } else {
        pair = await openPtyPair(dir, name);
        await sim.setFaults({ offline: false });
      }
    },
    async teardown() {
      await driver.stop();
      await sim.stop();
      await pair.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
