// Standalone runner for the demo and manual testing:
//   tsx simulators/onvif-camera/run.ts --port 8080 --user admin --pass secret --discovery-port 3702
//   field habits: --auth digest|both|ws-security  --multi-profile  --advertised-host 192.168.1.64:80  --clock-offset-ms 600000
// Prints one JSON line {"xaddr": ...} once listening; stops cleanly on SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import { SIM_AUTH_MODES, type SimAuthMode } from './http-auth.js';
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
    auth: { type: 'string', default: 'ws-security' },
    'multi-profile': { type: 'boolean', default: false },
    'advertised-host': { type: 'string' },
    'clock-offset-ms': { type: 'string', default: '0' },
  },
});

if (!(SIM_AUTH_MODES as readonly string[]).includes(values.auth!)) {
  process.stderr.write(`--auth must be one of ${SIM_AUTH_MODES.join(', ')}\n`);
  process.exit(2);
}

const discoveryPort = values['discovery-port'];
const sim = createOnvifCameraSim({
  host: values.host,
  port: Number(values.port),
  username: values.user!,
  password: values.pass!,
  name: values.name,
  rtspUri: values['rtsp-uri'],
  discovery: discoveryPort === 'off' ? null : { port: Number(discoveryPort), address: values['discovery-address'] },
  auth: values.auth as SimAuthMode,
  multiProfile: values['multi-profile'],
  advertisedHost: values['advertised-host'],
  clockOffsetMs: Number(values['clock-offset-ms']),
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
