import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../daemon/config/load-config.js';
import { createRootLogger } from '../../common/log.js';
import { EnrollError, enrollBox } from '../../daemon/modules/enrollment/enroll-box.js';

export const usage = `Usage: reception enroll --hub URL --code CODE [--config FILE] [--room ID]

Ghi danh thiết bị phòng với trung tâm bằng mã dùng một lần do kỹ thuật viên cấp: gửi khóa công khai
của thiết bị, nhận thông tin xác thực của phòng, chứng chỉ CA và khóa biên nhận của trung tâm (chỉ tin
khi trung tâm chứng minh biết mã). Ghi <paths.state>/keys/enrollment.json (0600).
Enroll this room's appliance at the hub with the one-time code a technician issued: sends the appliance's
public key, receives the room's credential, the hub's CA and receipt key (trusted only once the hub
proves it knows the code). Writes <paths.state>/keys/enrollment.json (0600).

Options:
      --hub URL       the hub, e.g. https://hub.example.gov.vn:8090
      --code CODE     the one-time code (XXXX-XXXX-XXXX-XXXX)
  -c, --config FILE   the room config (room.id, paths.state; default: RECEPTION_CONFIG or built-in)
      --room ID       the room id, if not the config's room.id
  -h, --help          this help

Then restart the room's services (systemctl restart reception-daemon reception-gateway).
Exit codes: 0 enrolled, 1 refused (the reason is printed), 2 usage.
`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { hub: { type: 'string' }, code: { type: 'string' }, config: { type: 'string', short: 'c' }, room: { type: 'string' } },
  });
  if (!values.hub || !values.code) {
    process.stderr.write('reception enroll: --hub URL and --code CODE are required\n\n' + usage);
    return 2;
  }
  const config = await loadConfig(values.config);
  const room = values.room ?? config.room.id;
  const stateDir = resolve(config.paths.state);
  try {
    const { file, enrollment } = await enrollBox({
      hubUrl: values.hub,
      code: values.code,
      room,
      stateDir,
      logger: createRootLogger('enroll', 'warn', process.stderr),
    });
    process.stdout.write(
      `${JSON.stringify({ enrolled: true, room: enrollment.room, hub: enrollment.hubUrl, fingerprint: enrollment.fingerprint, file, tls: enrollment.caPem ? 'hub CA pinned' : enrollment.hubUrl.startsWith('https:') ? 'system CAs' : 'none (loopback http)' })}\n`,
    );
    process.stderr.write(
      `Đã ghi danh phòng ${enrollment.room} / room ${enrollment.room} enrolled (key ${enrollment.fingerprint.slice(0, 16)}…)\n`,
    );
    return 0;
  } catch (err) {
    if (!(err instanceof EnrollError)) throw err;
    process.stderr.write(`Ghi danh bị từ chối / enrollment refused${err.code ? ` (${err.code})` : ''}: ${err.message}\n`);
    return 1;
  }
}
