import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { hashPin } from '../../daemon/modules/kiosk/pin-hash.js';
import { configForSimulatedRoom, startSimulatedRoom } from '../../simulators/simulated-room.js';

export const usage = `Usage: reception sim [options]

Chạy phần cứng phòng mô phỏng: camera ONVIF (có hình RTSP), camera VISCA, bộ xử lý âm thanh Tesira.
Run the simulated room hardware (ONVIF camera with an RTSP picture, VISCA camera, Tesira DSP) until
SIGINT/SIGTERM; prints its endpoints as one JSON line.

Options (defaults in brackets):
      --host ADDR             listen address [127.0.0.1]
      --onvif-port N          ONVIF SOAP [8000]        --rtsp-port N       RTSP picture [8554]
      --discovery-port N|off  WS-Discovery [3702]      --control-port N    fault controls /sims [8001]
      --dir DIR               state and logs [var/sim]
      --user NAME --pass P    the cameras' credentials [admin / reception-sim]
      --name NAME             the ONVIF camera's name
      --no-picture            no RTSP picture (saves ~25 % of a core; the room shows its slate)
      --write-config FILE     also write the room config that drives this hardware (mode 0600), with:
        --room-id ID --room-name NAME --api-port N [8080] --gateway-port N [8081]
        --hub-url URL [ws://127.0.0.1:8090/api/v1/signal]
        --video-rtp-port N [5004] --audio-rtp-port N [5006] --kiosk-pin PIN
  -h, --help                  this help
`;

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
      'kiosk-pin': { type: 'string' },
      'api-port': { type: 'string', default: '8080' },
      'room-id': { type: 'string', default: 'room-demo' },
      'room-name': { type: 'string', default: 'Phòng tiếp công dân (mô phỏng)' },
      'hub-url': { type: 'string', default: 'ws://127.0.0.1:8090/api/v1/signal' },
      'gateway-port': { type: 'string', default: '8081' },
      'video-rtp-port': { type: 'string', default: '5004' },
      'audio-rtp-port': { type: 'string', default: '5006' },
    },
  });
  const port = (k: string) => {
    const n = Number(values[k as keyof typeof values]);
    if (!Number.isInteger(n) || n < 0 || n > 65535)
      throw new Error(`--${k} must be a port number, got ${String(values[k as keyof typeof values])}`);
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
    // The room config that drives this simulated hardware: `reception daemon|gateway --config FILE`.
    const config = configForSimulatedRoom(room.endpoints, {
      roomId: values['room-id']!,
      roomName: values['room-name']!,
      apiPort: port('api-port'),
      stateDir: values.dir!,
      hubUrl: values['hub-url']!,
      gatewayPort: port('gateway-port'),
      videoRtpPort: port('video-rtp-port'),
      audioRtpPort: port('audio-rtp-port'),
    });
    // The kiosk's officer PIN, hashed as `reception kiosk-pin` stores it (pm2 and hosts without a shell step).
    const kiosk = values['kiosk-pin'] ? { kiosk: { pinHash: await hashPin(values['kiosk-pin']) } } : {};
    writeFileSync(values['write-config'], JSON.stringify({ ...config, ...kiosk }, null, 2), { mode: 0o600 });
  }
  process.stdout.write(JSON.stringify({ ready: true, ...room.endpoints }) + '\n');
  const stop = async () => {
    await room.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}
