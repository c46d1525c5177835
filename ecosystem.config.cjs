// pm2 ecosystem: the demo room (hub + simulated hardware + daemon + gateway) on hosts without
// systemd. `npm run build`, then `pm2 start ecosystem.config.cjs`; `pm2 logs`, `pm2 stop all`.
// Same processes and ports as `reception demo` (room 1: API + kiosk page 8080, gateway 8081, hub 8090;
// kiosk officer PIN 2468).
// pm2 stops an app with SIGINT, then SIGKILL after kill_timeout: every process stops cleanly on SIGINT.
// Order is not guaranteed: daemon and gateway wait up to 60 s for `sim` to write the room config
// (--wait-for-config; an app exiting at once was seen not restarted by pm2), then exit 78
// (EX_CONFIG) and pm2 restarts them after restart_delay.
const CLI = 'dist/provisioning/reception.js';
const DIR = 'var/demo/room-demo';
const CONFIG = `${DIR}/config.json`;
const HUB_PORT = 8090;

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
      args: ['hub', '--port', String(HUB_PORT), '--rooms', '1'],
      env: { ...common.env, RECEPTION_HUB_STATE_DIR: 'var/demo/hub-state' },
    },
    {
      ...common,
      name: 'reception-sim',
      args: [
        'sim',
        '--dir',
        `${DIR}/sim`,
        '--write-config',
        CONFIG,
        '--room-id',
        'room-demo',
        '--room-secret',
        'demo-room-secret',
        '--hub-url',
        `ws://127.0.0.1:${HUB_PORT}/api/v1/signal`,
        '--kiosk-pin',
        '2468',
      ],
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
