// Demo runner: `npx tsx simulators/tesira-dsp/run.ts` prints {"device": "<pty>"}; point the DSP driver at it.
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { openPtyPair } from '../../common/pty/socat-pair.js';
import { createTesiraDspSim } from './index.js';

const pair = await openPtyPair();
const sim = createTesiraDspSim({ path: pair.simEnd });
await sim.start();
process.stdout.write(`${JSON.stringify({ device: pair.deviceEnd })}\n`);

process.once('SIGINT', () => {
  void sim
    .stop()
    .then(() => pair.close())
    .then(() => rmSync(dirname(pair.deviceEnd), { recursive: true, force: true }))
    .then(() => process.exit(0));
});
