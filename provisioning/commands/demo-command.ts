import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { spawnReady, type ReadyChild } from '../../common/process/spawn-ready.js';
import { HUB_PORT } from '../demo/demo-ports.js';
import { startDemoRoom, type DemoRoom } from '../demo/start-demo-room.js';
import { ensureDemoAccount } from '../demo/demo-account.js';

const CLI = fileURLToPath(new URL('../reception.js', import.meta.url));

export const usage = `Usage: reception demo [--rooms N] [--pictures N] [--hearing] [--dir DIR]

Chạy thử toàn bộ trên máy này: điểm trung tâm và N phòng mô phỏng, rồi in các địa chỉ để mở.
Run everything on loopback: the hub and N simulated rooms (hardware simulators, daemon, gateway) as
separate processes, then print the URLs to open. Ctrl-C stops them all.

Options:
      --rooms N      simulated rooms, 1..20 (default 1)
      --pictures N   the first N rooms get a camera picture, the others show the slate (default 1)
      --hearing      open one hearing with every room at once
      --dir DIR      state and logs (default var/demo)
  -h, --help         this help
`;

/**
 * `reception demo [--rooms N] [--hearing]`: the central hub and N simulated rooms (hardware
 * simulators, daemon with its media worker, gateway) as separate processes on loopback. Officers
 * start hearings from the console (or the kiosk); `--hearing` opens one with every room at once.
 */
export async function run(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      dir: { type: 'string', default: 'var/demo' },
      rooms: { type: 'string', default: '1' },
      pictures: { type: 'string', default: '1' },
      hearing: { type: 'boolean', default: false },
    },
  });
  const count = Number(values.rooms);
  if (!Number.isInteger(count) || count < 1 || count > 20) throw new Error(`--rooms must be 1..20 (got ${values.rooms})`);
  const pictures = Number(values.pictures); // RTSP pictures cost ~25 % of a core each: by default only room 1 has one
  const dir = resolve(values.dir!);
  mkdirSync(dir, { recursive: true });
  const say = (s: string) => process.stdout.write(s + '\n');
  const processes: ReadyChild<Record<string, unknown>>[] = [];
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await Promise.all([...processes].reverse().map((p) => p.stop('SIGINT')));
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  say(`Đang khởi động điểm tiếp công dân trung tâm và ${count} phòng mô phỏng… / Starting the hub and ${count} simulated room(s)…`);
  try {
    const hubStateDir = join(dir, 'hub-state');
    const account = await ensureDemoAccount(dir, hubStateDir);
    const hub = await spawnReady<{ url: string }>(process.execPath, [CLI, 'hub', '--port', String(HUB_PORT)], {
      logFile: join(dir, 'hub.log'),
      // The demo opts in to loopback officers (off by default, issue 10): said loudly, here and in the hub's log.
      env: { ...process.env, RECEPTION_HUB_STATE_DIR: hubStateDir, RECEPTION_HUB_ALLOW_LOOPBACK_OFFICERS: '1' },
    });
    processes.push(hub as ReadyChild<Record<string, unknown>>);
    say(
      'CHÚ Ý: bản demo tin mọi kết nối từ chính máy này (loopback) với mọi vai trò, không cần đăng nhập — không dùng như vậy khi triển khai thật.\n' +
        'WARNING: this demo trusts every connection from this machine (loopback) with every role, without sign-in (allowLoopbackOfficers) — never in a real deployment.',
    );
    const rooms: DemoRoom[] = [];
    for (let i = 1; i <= count; i++) {
      const room = await startDemoRoom(CLI, dir, i, { port: HUB_PORT, stateDir: hubStateDir }, i <= pictures); // enrolled by a one-time code
      processes.push(...room.processes);
      rooms.push(room);
    }
    const hearing = values.hearing
      ? await openHearing(
          hub.ready.url,
          rooms.map((r) => r.id),
        )
      : null;
    printUrls(say, hub.ready.url, hearing, rooms, dir, account);
  } catch (err) {
    process.stderr.write(`demo failed: ${(err as Error).message}\nLogs: ${dir}/**/*.log\n`);
    await stopAll(1);
  }
  for (const p of processes) {
    p.child.once('exit', (code) => {
      if (stopping) return;
      process.stderr.write(`a demo process exited (${code}); logs in ${dir}; stopping\n`);
      void stopAll(1);
    });
  }
}

/** Reuses the rooms' active hearing after a demo restart (the hub keeps hearings), else opens one. */
async function openHearing(hubUrl: string, rooms: string[]): Promise<string> {
  const list = (await (await fetch(`${hubUrl}/api/v1/hearings`)).json()) as { id: string; state: string; rooms: string[] }[];
  const active = list.find((h) => h.state === 'active' && rooms.every((r) => h.rooms.includes(r)));
  if (active) return active.id;
  const res = await fetch(`${hubUrl}/api/v1/hearings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'Phiên tiếp công dân (mô phỏng)', rooms }),
  });
  if (res.status !== 201) throw new Error(`could not open the demo hearing: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

function printUrls(
  say: (s: string) => void,
  hub: string,
  hearing: string | null,
  rooms: DemoRoom[],
  dir: string,
  account: { name: string; password: string; file: string },
) {
  say('');
  say(`  Đăng nhập / sign in                         ${hub}/console/signin.html`);
  say(`    Tài khoản / account ${account.name}   Mật khẩu / password ${account.password}   (${account.file})`);
  say(`    Tài khoản mới / more accounts: reception hub user add NAME --role officer --state-dir ${join(dir, 'hub-state')}`);
  say(`  Bàn điều khiển cán bộ / officers' console   ${hub}/console/${hearing ? `?join=${hearing}` : ''}`);
  say(`  Lưu trữ / archive                           ${hub}/console/archive.html`);
  say(`  Giám sát phòng / fleet of rooms             ${hub}/console/fleet.html`);
  say(`  API điểm trung tâm / hub API docs           ${hub}/docs`);
  for (const r of rooms) {
    say(`  ${r.id}:`);
    say(`    Màn hình phòng / kiosk                    ${r.kiosk}`);
    say(`    Mã PIN cán bộ / officer PIN               ${r.pin}`);
    say(`    Trạng thái phòng / room health            ${r.api}/api/v1/health`);
    say(`    Tài liệu API / API docs                   ${r.api}/docs`);
    say(`    Hình camera / camera picture              ${r.rtsp ?? '(không có / none: slate on air)'}`);
    say(`    Giả lập lỗi / simulator faults            ${r.control}/sims`);
  }
  say('');
  say(`  Mở bàn điều khiển, tạo phiên với phòng, cho phép camera/micrô: màn hình phòng hiện cán bộ.`);
  say(`  Open the console, create a hearing with the room(s), allow camera/microphone: the kiosk shows you.`);
  say(`  Logs: ${dir}/**/*.log   Ctrl-C to stop.`);
}
