import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../daemon/config/load-config.js';
import { run as configCommand } from '../commands/config-command.js';
import { AnswerError, answersAsker, parse, terminalAsker, type Asker } from './asker.js';
import { configEditor, type Ctx } from './context.js';
import { openProgress, STEP_NAMES, type StepName } from './progress.js';
import { runSteps } from './run-steps.js';
import { handOver } from './service-user.js';

export const usage = `Usage: reception provision [--config FILE] [--answers FILE] [--no-install] [--redo STEP]...

Nghiệm thu phòng trong một lần: thiết bị, camera (dò, đăng nhập, luồng hình, thử quay, vị trí đặt sẵn),
bộ xử lý âm thanh, trung tâm (ghi danh, băng thông, lệch đồng hồ), mã PIN, cài dịch vụ, tự kiểm tra, biên bản.
Commission a room in one sitting: the box, cameras (discovery, login, stream, PTZ test, named presets), the
audio DSP, the hub (enrollment, bandwidth, clock offset), the kiosk PIN, the units, a self-test, the report.

Làm tiếp từ chỗ dừng: tiến độ lưu ở <paths.state>/commissioning/progress.json.
Resumable: progress is kept in <paths.state>/commissioning/progress.json; a rerun continues where it stopped.

Options:
  -c, --config FILE   the room config to write (default RECEPTION_CONFIG or /etc/reception/config.json);
                      created with the defaults when missing
      --answers FILE  answer from this JSON file instead of the terminal (a missing answer without a
                      default is an error naming it); keys in provisioning/provision/README.md
      --no-install    do not install the system units
      --redo STEP     do STEP again even if it passed (${STEP_NAMES.join(', ')}); repeatable
  -h, --help          this help

Exit codes: 0 commissioned, 1 a check failed (named in the report), 2 usage or a wrong answer.
`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string', short: 'c' },
      answers: { type: 'string' },
      'no-install': { type: 'boolean', default: false },
      redo: { type: 'string', multiple: true, default: [] },
    },
  });
  const bad = values.redo!.find((s) => !(STEP_NAMES as readonly string[]).includes(s));
  if (bad)
    throw Object.assign(new TypeError(`--redo ${bad}: one of ${STEP_NAMES.join(', ')}`), { code: 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' });
  let ask: Asker;
  if (values.answers) {
    const text = await readFile(values.answers, 'utf8').catch((e: Error) => {
      throw new AnswerError(`không đọc được / cannot read ${values.answers}: ${e.message}`);
    });
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      process.stderr.write(`${values.answers}: không phải JSON / not JSON: ${(e as Error).message}\n`);
      return 2;
    }
    ask = answersAsker(json as Record<string, unknown>, values.answers, process.stdout);
  } else ask = terminalAsker(process.stdin, process.stdout);
  try {
    return await provision(ask, values.config ?? process.env.RECEPTION_CONFIG ?? '/etc/reception/config.json', {
      install: values['no-install'] ? false : undefined,
      redo: values.redo as StepName[],
    });
  } catch (err) {
    if (!(err instanceof AnswerError)) throw err;
    process.stderr.write(`${err.message}\n`);
    return 2;
  } finally {
    ask.close();
  }
}

async function provision(ask: Asker, configFile: string, opts: { install?: boolean; redo: StepName[] }): Promise<number> {
  await mkdir(dirname(resolve(configFile)), { recursive: true });
  if (!existsSync(configFile) && (await configCommand(['init', configFile])) !== 0) return 1;
  const editor = configEditor(configFile);
  const { editConfig, readConfig } = await editor;
  // The room first: its id names it at the hub, in the archive and in the report.
  const before = await readConfig();
  const id = await ask.ask({
    key: 'room.id',
    vi: 'Mã phòng (chữ thường, số, "-")',
    en: 'Room id (lowercase, digits, "-")',
    default: before.room.id,
    parse: parse.text(),
  });
  const name = await ask.ask({ key: 'room.name', vi: 'Tên phòng', en: 'Room name', default: before.room.name, parse: parse.text() });
  const overrides = ask.has('config')
    ? await ask.ask<Record<string, unknown>>({ key: 'config', vi: 'Cấu hình thêm', en: 'Config overrides' })
    : undefined;
  await editConfig((c) => {
    if (overrides) deepMerge(c as unknown as Record<string, unknown>, overrides);
    c.room = { id, name };
  }).catch((e: Error) => {
    throw new AnswerError(`cấu hình không hợp lệ / invalid config: ${e.message}`);
  });
  const stateDir = resolve((await loadConfig(configFile)).paths.state); // RECEPTION_STATE_DIR as the daemon takes it
  const progress = await openProgress(stateDir);
  for (const s of opts.redo) if (progress.doc.steps[s]) progress.doc.steps[s]!.done = false;
  const ctx: Ctx = { ask, configFile, stateDir, progress, editConfig, readConfig, flags: { install: opts.install } };
  const outcome = await runSteps(ctx);
  await writeFile(join(progress.dir, 'report.html'), outcome.html);
  await handOver([configFile, stateDir]); // run as root: the room's services (user reception) own what was written
  ask.say(`Biên bản: ${join(progress.dir, 'report.html')}`, `report: ${join(progress.dir, 'report.html')}`);
  ask.say(
    outcome.sent.ok ? 'Đã gửi biên bản lên trung tâm' : 'Chưa gửi được biên bản lên trung tâm',
    outcome.sent.ok ? `report sent to the hub (${outcome.sent.message})` : `report not sent: ${outcome.sent.message}`,
  );
  ask.say(
    outcome.state === 'commissioned' ? 'KẾT LUẬN: ĐÃ NGHIỆM THU' : 'KẾT LUẬN: CHƯA ĐẠT',
    outcome.state === 'commissioned' ? 'VERDICT: COMMISSIONED' : `VERDICT: FAILED (${outcome.failed} check(s))`,
  );
  return outcome.state === 'commissioned' ? 0 : 1;
}

/** Answers-file `config` object onto the config: objects merged key by key, anything else replaced. */
function deepMerge(into: Record<string, unknown>, from: Record<string, unknown>) {
  for (const [k, v] of Object.entries(from)) {
    const cur = into[k];
    if (v && typeof v === 'object' && !Array.isArray(v) && cur && typeof cur === 'object' && !Array.isArray(cur))
      deepMerge(cur as Record<string, unknown>, v as Record<string, unknown>);
    else into[k] = v;
  }
}
