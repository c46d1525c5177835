import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { configForSimulatedRoom, startSimulatedRoom } from '../../simulators/simulated-room.js';

/** `reception sim`: the simulated room hardware until SIGINT/SIGTERM; prints its endpoints as one JSON line. */
export async function run(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      'onvif-port': { type: 'string', default: '8000' },
      'rtsp-port': { type: 'string', default: '8554' },
      'discovery-port': { type: 'string', default: '3702' },
      'control-port': { type: 'string', default: '8001' },
      dir: { type: 'string', default: 'var/sim' },
      user: { type: 'string', default: 'admin' },
      pass: { type: 'string', default: 'reception-sim' },
      name: { type: 'string', default: 'Phong tiep dan PTZ' },
      'no-picture': { type: 'boolean', default: false },
      'write-config': { type: 'string' },
      'api-port': { type: 'string', default: '8080' },
    },
  });
  const port = (k: string) => {
    const n = Number(values[k as keyof typeof values]);
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`--${k} must be a port number, got ${String(values[k as keyof typeof values])}`);
    return n;
  };
  const room = await startSimulatedRoom({
    host: values.host!,
    onvifPort: port('onvif-port'),
    rtspPort: port('rtsp-port'),
    discoveryPort: values['discovery-port'] === 'off' ? null : port('discovery-port'),
    controlPort: port('control-port'),
    dir: values.dir!,
    username: values.user!,
    password: values.pass!,
    name: values.name!,
    picture: !values['no-picture'],
  });
  if (values['write-config']) {
    const config = configForSimulatedRoom(room.endpoints, port('api-port'), values.dir!);
    writeFileSync(values['write-config'], JSON.stringify(config, null, 2), { mode: 0o600 });
  }
  process.stdout.write(JSON.stringify({ ready: true, ...room.endpoints }) + '\n');
  const stop = async () => {
    await room.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}
