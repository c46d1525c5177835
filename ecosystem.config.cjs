// pm2 ecosystem: the demo room (hub + simulated hardware + daemon + gateway) on hosts without
// systemd. `npm run build`, then `pm2 start ecosystem.config.cjs`; `pm2 logs`, `pm2 stop all`.
// Same processes and ports as `reception demo` (room 1: API + kiosk page 8080, gateway 8081, hub 8090;
// kiosk officer PIN 2468).
// pm2 stops an app with SIGINT, then SIGKILL after kill_timeout: every process stops cleanly on SIGINT.
// Order is not guaranteed: `sim` writes the room config to SIM_CONFIG; `reception-enroll` waits for it
// and for the hub, enrolls the room the way a technician does (a one-time code from the hub's state dir,
// then `reception enroll`: provisioning/demo/enroll-demo-room.ts) and only then puts the config at
// CONFIG. Daemon and gateway wait up to 60 s for CONFIG (--wait-for-config; an app exiting at once was
// seen not restarted by pm2), then exit 78 (EX_CONFIG) and pm2 restarts them after restart_delay. So
// they start enrolled: there is no shared room secret.
const CLI = 'dist/provisioning/reception.js';
const DIR = 'var/demo/room-demo';
const CONFIG = `${DIR}/config.json`;
const SIM_CONFIG = `${DIR}/config.sim.json`;
const HUB_PORT = 8090;
const HUB_STATE = 'var/demo/hub-state';
// CONFIG is made afresh by reception-enroll at every start: one left by an older run (say, with a room
// secret no longer accepted) would start daemon and gateway before enrollment, and pm2 does not restart an
// app that exits at once.
require('node:fs').rmSync(require('node:path').join(__dirname, CONFIG), { force: true });

// reception-enroll: exits 1 (pm2 retries) until the sim's config and the hub are there, 0 once enrolled.
const ENROLL = `
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { enrollDemoRoom } from './dist/provisioning/demo/enroll-demo-room.js';
if (!existsSync('${SIM_CONFIG}')) throw new Error('waiting for reception-sim to write ${SIM_CONFIG}');
await fetch('http://127.0.0.1:${HUB_PORT}/api/v1/tls/ca').catch(() => { throw new Error('waiting for the hub'); });
const roomStateDir = JSON.parse(readFileSync('${SIM_CONFIG}', 'utf8')).paths.state;
const done = enrollDemoRoom('${CLI}', { room: 'room-demo', name: 'Phòng tiếp công dân 1 (mô phỏng)', configFile: '${SIM_CONFIG}',
  hubUrl: 'http://127.0.0.1:${HUB_PORT}', hubStateDir: '${HUB_STATE}', roomStateDir });
copyFileSync('${SIM_CONFIG}', '${CONFIG}');
console.log(JSON.stringify({ room: 'room-demo', enrollment: done }));
`;

const common = {
  script: CLI,
  cwd: __dirname,
  interpreter: 'node',
  autorestart: true,
  restart_delay: 2000,
  max_restarts: 50,
  min_uptime: 5000,
  kill_timeout: 10000,
  merge_logs: true,
  time: true,
  env: { NODE_ENV: 'production', UV_THREADPOOL_SIZE: '16' },
};

module.exports = {
  apps: [
    {
      ...common,
      name: 'reception-hub',
      args: ['hub', '--port', String(HUB_PORT)],
      // As `reception demo`: loopback callers get every role without sign-in (the hub warns loudly at start). Demo only.
      env: { ...common.env, RECEPTION_HUB_STATE_DIR: HUB_STATE, RECEPTION_HUB_ALLOW_LOOPBACK_OFFICERS: '1' },
    },
    {
      ...common,
      name: 'reception-sim',
      args: [
        'sim',
        '--dir',
        `${DIR}/sim`,
        '--write-config',
        SIM_CONFIG,
        '--room-id',
        'room-demo',
        '--hub-url',
        `ws://127.0.0.1:${HUB_PORT}/api/v1/signal`,
        '--kiosk-pin',
        '2468',
      ],
    },
    {
      ...common,
      name: 'reception-enroll',
      script: process.execPath,
      interpreter: 'none',
      args: ['--input-type=module', '-e', ENROLL],
      stop_exit_codes: [0], // enrolled: done (a failure is retried after restart_delay)
      min_uptime: 0,
    },
    {
      ...common,
      name: 'reception-daemon',
      args: ['daemon', '--config', CONFIG, '--wait-for-config', '60'],
      kill_timeout: 20000, // stops the recorder and the media worker in order
    },
    {
      ...common,
      name: 'reception-gateway',
      args: ['gateway', '--config', CONFIG, '--wait-for-config', '60'],
    },
  ],
};
