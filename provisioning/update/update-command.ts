import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { publicKeyRawFromAnyPem } from '../../common/evidence/keys.js';
import { readUpdateJob, writeUpdateStatus } from '../../common/release/update-job.js';
import { verifyRelease } from '../../common/release/verify-release.js';
import { applyUpdate } from './apply-update.js';
import { handBackStatus, pinJob } from './pinned-job.js';
import { switchCurrent, unpackRelease } from './install-release.js';

export const usage = `Usage: reception update install --release FILE.release.json --key PUBLIC.pem --root DIR
       reception update apply --job STATE/updates/job.json
       reception update apply --pinned --job STATE/updates/job.json --root DIR --key PUBLIC.pem --units A.service,B.service

Cài bản phát hành có chữ ký lên máy phòng. install: lần đầu (giải nén vào DIR/releases/<phiên bản>, trỏ DIR/current
vào đó; sau đó: reception install --prefix DIR/current). apply: do máy phòng tự chạy khi trung tâm gửi bản mới —
đổi phiên bản, khởi động lại, theo dõi; không khỏe thì quay về bản cũ.
Install a signed release on a room box. install: the first time (unpacked into DIR/releases/<version>, DIR/current
pointed at it; then: reception install --prefix DIR/current). apply: run by the box itself when the central point
offers a new version — switch, restart, watch; back to the previous version when the new one is not healthy.

--pinned (systemd/reception-update.service, as root): the install root, the trusted key and the units to restart
come from the command line, not from the job; the job's release must lie in the job's own directory.

Options:
  -h, --help   this help
`;

export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      release: { type: 'string' },
      key: { type: 'string' },
      root: { type: 'string' },
      job: { type: 'string' },
      pinned: { type: 'boolean', default: false },
      units: { type: 'string' },
    },
  });
  const fail = (why: string) => (process.stderr.write(`${why}\n\n${usage}`), 2);
  if (sub === 'install') {
    if (!values.release || !values.key || !values.root) return fail('install: --release, --key and --root are required');
    const v = await verifyRelease(values.release, publicKeyRawFromAnyPem(await readFile(values.key, 'utf8')));
    if (!v.ok) {
      process.stderr.write(`TỪ CHỐI / REFUSED (${v.refusal.code}): ${v.refusal.vi}\n${v.refusal.en}\n`);
      return 1;
    }
    const root = resolve(values.root);
    const dir = await unpackRelease(root, v.release, v.archive!);
    const before = await switchCurrent(root, v.release.manifest.version);
    process.stdout.write(`${dir}\n${join(root, 'current')} → ${v.release.manifest.version} (was ${before ?? 'nothing'})\n`);
    return 0;
  }
  if (sub === 'apply') {
    if (!values.job) return fail('apply: --job FILE is required');
    const log = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);
    let job = await readUpdateJob(values.job);
    const stateDir = dirname(dirname(resolve(values.job))); // <state>/updates/job.json
    if (values.pinned) {
      if (!values.root || !values.key || !values.units) return fail('apply --pinned: --root, --key and --units are required');
      const pinned = await pinJob(job, {
        jobFile: resolve(values.job),
        root: resolve(values.root),
        key: values.key,
        units: values.units.split(','),
      });
      if ('refused' in pinned) {
        const status = {
          version: job.version,
          attempt: job.attempt,
          state: 'refused' as const,
          reason: pinned.refused,
          at: new Date().toISOString(),
        };
        await writeUpdateStatus(stateDir, status);
        await handBackStatus(values.job);
        log(`refused: ${pinned.refused}`);
        return 1;
      }
      if (pinned.ignored.length) log(`the job's own ${pinned.ignored.join('; ')} ignored: the unit pins them`);
      job = pinned.job;
    }
    log(`update ${job.version} (attempt ${job.attempt}) into ${job.installRoot}`);
    const status = await applyUpdate(job, { log });
    await writeUpdateStatus(stateDir, status);
    if (values.pinned) await handBackStatus(values.job);
    log(`${status.state}${status.reason ? `: ${status.reason}` : ''}`);
    return status.state === 'installed' ? 0 : 1;
  }
  return fail(sub ? `unknown subcommand "${sub}"` : 'a subcommand is required');
}
