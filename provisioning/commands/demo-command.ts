import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { spawnReady } from '../../common/process/spawn-ready.js';

const CLI = fileURLToPath(new URL('../reception.js', import.meta.url));

/** `reception demo`: the simulated hardware and the daemon as separate processes, wired over loopback. */
export async function run(argv: string[]) {
  const { values } = parseArgs({ args: argv, options: { dir: { type: 'string', default: 'var/demo' }, 'api-port': { type: 'string', default: '8080' } } });
  const dir = resolve(values.dir!);
  mkdirSync(dir, { recursive: true });
  const configFile = join(dir, 'config.json');
  const say = (s: string) => process.stdout.write(s + '\n');

  say('Đang khởi động phòng tiếp công dân mô phỏng… / Starting the simulated reception room…');
  const sim = await spawnReady<{ onvif: { xaddr: string; rtsp: string | null }; visca: { device: string }; tesira: { device: string }; control: string }>(
    process.execPath,
    [CLI, 'sim', '--dir', join(dir, 'sim'), '--write-config', configFile, '--api-port', values['api-port']!],
    { logFile: join(dir, 'sim.log') },
  );
  const daemon = await spawnReady<{ url: string; readyMs: number }>(process.execPath, [CLI, 'daemon', '--config', configFile], { logFile: join(dir, 'daemon.log') }).catch(async (err) => {
    await sim.stop();
    throw err;
  });
  const api = daemon.ready.url;
  say('');
  say(`  Trạng thái phòng / room health     ${api}/api/v1/health`);
  say(`  Tài liệu API / API docs (OpenAPI)  ${api}/docs`);
  say(`  Camera                             ${api}/api/v1/cameras`);
  say(`  Âm thanh / audio channels          ${api}/api/v1/audio/channels`);
  say(`  Sự kiện trực tiếp / live events    ${api.replace('http', 'ws')}/api/v1/events`);
  say(`  Hình camera / camera picture       ${sim.ready.onvif.rtsp ?? '(none)'}`);
  say(`  ONVIF camera                       ${sim.ready.onvif.xaddr}`);
  say(`  Giả lập lỗi / simulator faults     ${sim.ready.control}/sims`);
  say('');
  say(`  Try: curl -X POST ${api}/api/v1/cameras/cam1/move/absolute -H 'content-type: application/json' -d '{"position":{"pan":0.5,"tilt":0.2,"zoom":0.3}}'`);
  say(`  Config: ${configFile}   Logs: ${dir}/*.log   Ctrl-C to stop.`);

  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await daemon.stop('SIGINT');
    await sim.stop('SIGINT');
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));
  for (const [name, p] of [['daemon', daemon], ['sim', sim]] as const) {
    p.child.once('exit', (code) => {
      if (stopping) return;
      process.stderr.write(`${name} exited (${code}); see ${dir}/${name}.log\n`);
      void stopAll(1);
    });
  }
}
