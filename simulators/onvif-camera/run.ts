// Standalone runner for the demo and manual testing:
//   tsx simulators/onvif-camera/run.ts --port 8080 --user admin --pass secret --discovery-port 3702
// Prints one JSON line {"xaddr": ...} once listening; stops cleanly on SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import { createOnvifCameraSim } from './index.js';

const { values } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '0' },
    user: { type: 'string', default: 'admin' },
    pass: { type: 'string', default: 'admin' },
    name: { type: 'string' },
    'rtsp-uri': { type: 'string' },
    // "off" disables WS-Discovery; default is the standard port.
    'discovery-port': { type: 'string', default: '3702' },
    'discovery-address': { type: 'string' },
  },
});

const discoveryPort = values['discovery-port'];
const sim = createOnvifCameraSim({
  host: values.host,
  port: Number(values.port),
  username: values.user!,
  password: values.pass!,
  name: values.name,
  rtspUri: values['rtsp-uri'],
  discovery: discoveryPort === 'off' ? null : { port: Number(discoveryPort), address: values['discovery-address'] },
});

await sim.start();
process.stdout.write(`${JSON.stringify({ xaddr: sim.xaddr, discoveryPort: sim.discoveryPort ?? null })}\n`);

const shutdown = () => {
  sim.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
