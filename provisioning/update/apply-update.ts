import { readFile } from 'node:fs/promises';
import type { UpdateStatus } from '../../common/contracts/updates.js';
import { publicKeyRawFromAnyPem } from '../../common/evidence/keys.js';
import type { UpdateJob } from '../../common/release/update-job.js';
import { verifyRelease } from '../../common/release/verify-release.js';
import { pruneReleases, switchCurrent, unpackRelease } from './install-release.js';
import { restartServices } from './restart-services.js';
import { watchHealth } from './watch-health.js';

// One update, start to end, in the installer's own process: check the release again (the files could have
// changed since the daemon checked them), unpack, switch `current`, restart, watch — and when the new
// version is not healthy in time, switch back to the previous one and restart again. Nothing is changed
// before the switch can happen: a refused or broken bundle leaves the box as it was.

export interface ApplyDeps {
  restart?: (r: UpdateJob['restart']) => Promise<void>;
  watch?: (job: UpdateJob) => ReturnType<typeof watchHealth>;
  log?: (line: string) => void;
}

export async function applyUpdate(job: UpdateJob, deps: ApplyDeps = {}): Promise<UpdateStatus> {
  const restart = deps.restart ?? restartServices;
  const watch = deps.watch ?? watchHealth;
  const log = deps.log ?? (() => undefined);
  const status = (state: UpdateStatus['state'], reason: string | null = null): UpdateStatus => ({
    version: job.version,
    attempt: job.attempt,
    state,
    reason,
    at: new Date().toISOString(),
  });

  let previous: string | undefined;
  try {
    const key = publicKeyRawFromAnyPem(await readFile(job.trustedKeyFile, 'utf8'));
    const v = await verifyRelease(job.releaseFile, key);
    if (!v.ok) return status('refused', `${v.refusal.vi} — ${v.refusal.en}`);
    const dir = await unpackRelease(job.installRoot, v.release, v.archive!);
    log(`unpacked ${job.version} into ${dir}`);
    previous = await switchCurrent(job.installRoot, job.version);
    log(`current → ${job.version} (was ${previous ?? 'nothing'})`);
  } catch (err) {
    return status('failed', (err as Error).message);
  }
  if (!previous || previous === job.version)
    return status('failed', `no previous release to fall back to (current was ${previous ?? 'unset'})`);

  await restart(job.restart);
  const w = await watch(job);
  if (w.ok) {
    log(`${job.version} healthy after ${w.afterMs} ms`);
    const removed = await pruneReleases(job.installRoot, [job.version, previous]).catch(() => []);
    if (removed.length) log(`removed old releases: ${removed.join(', ')}`);
    return status('installed');
  }
  log(`${job.version} not healthy (${w.reason}): back to ${previous}`);
  await switchCurrent(job.installRoot, previous);
  await restart(job.restart);
  return status('rolled-back', `${w.reason}; về lại ${previous} — back on ${previous}`);
}
