// Demo runner: `npx tsx simulators/visca-camera/run.ts` prints {"device": "<pty>"}; point the VISCA driver at it.
import { openPtyPair } from '../../common/pty/socat-pair.js';
import { createViscaCameraSim } from './index.js';

const pair = await openPtyPair(undefined, 'visca');
const sim = createViscaCameraSim({ path: pair.simEnd });
await sim.start();
process.stdout.write(`${JSON.stringify({ device: pair.deviceEnd })}\n`);

process.once('SIGINT', () => {
  void sim
    .stop()
    .then(() => pair.close())
    .then(() => process.exit(0));
});
