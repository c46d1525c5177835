import { realpath, stat, chown } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import type { UpdateJob } from '../../common/release/update-job.js';

// `reception update apply --pinned` (systemd/reception-update.service, as root): the daemon's job file says
// only which release to install; the install root, the trusted key and the units to restart come from the
// unit's command line, which root wrote. What the job says of them is ignored (and logged when it differs).

export interface Pins {
  jobFile: string;
  root: string;
  key: string;
  units: string[];
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The job with the pinned values in place, or a reason (Vietnamese, then English) it is refused. */
export async function pinJob(job: UpdateJob, pins: Pins): Promise<{ job: UpdateJob; ignored: string[] } | { refused: string }> {
  const spool = await realpath(dirname(pins.jobFile));
  const release = await realpath(job.releaseFile).catch(() => undefined);
  if (!release || !release.startsWith(spool + sep))
    return { refused: `tệp phát hành nằm ngoài thư mục cập nhật — the release file ${job.releaseFile} is not inside ${spool}` };
  let health: URL | undefined;
  try {
    health = new URL(job.healthUrl);
  } catch {
    /* refused below */
  }
  if (health?.protocol !== 'http:' || !LOOPBACK.has(health.hostname))
    return { refused: `địa chỉ kiểm tra sức khoẻ không phải loopback — healthUrl ${job.healthUrl} is not http on loopback` };
  if (pins.units.length === 0 || pins.units.some((u) => !/^reception-[a-z]+\.service$/.test(u)))
    return { refused: `--units: reception-*.service only (got ${pins.units.join(',') || 'none'})` };
  const ignored = [
    job.installRoot !== pins.root && `installRoot ${job.installRoot}`,
    job.trustedKeyFile !== pins.key && `trustedKeyFile ${job.trustedKeyFile}`,
    (job.restart.kind !== 'systemd' || job.restart.systemdUnits.join(',') !== pins.units.join(',')) &&
      `restart ${JSON.stringify(job.restart)}`,
  ].filter((x): x is string => typeof x === 'string');
  return {
    job: {
      ...job,
      releaseFile: release,
      installRoot: pins.root,
      trustedKeyFile: pins.key,
      restart: { kind: 'systemd', systemdUnits: pins.units, pm2Apps: [], pids: [] },
    },
    ignored,
  };
}

/** The status written as root goes back to the spool's owner (the daemon reads it after its restart). */
export async function handBackStatus(jobFile: string): Promise<void> {
  const spool = await stat(dirname(jobFile));
  await chown(join(dirname(jobFile), 'status.json'), spool.uid, spool.gid);
}
