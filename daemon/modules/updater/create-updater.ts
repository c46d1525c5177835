import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { UpdateOffer, UpdateStatus } from '../../../common/contracts/updates.js';
import type { HealthReply } from '../../../common/contracts/daemon-api/health.js';
import type { UpdatesConfig } from '../../../common/config/room-schema-updates.js';
import type { HubLink } from '../../../common/enrollment/hub-link.js';
import { publicKeyRawFromAnyPem } from '../../../common/evidence/keys.js';
import { HealthTracker } from '../../../common/lifecycle.js';
import type { Logger } from '../../../common/log.js';
import { readUpdateStatus, type UpdateJob, updatesDir, writeUpdateJob, writeUpdateStatus } from '../../../common/release/update-job.js';
import { verifyRelease } from '../../../common/release/verify-release.js';
import { VERSION } from '../../../common/version.js';
import { fetchArchive, fetchReleaseFile } from './fetch-release.js';
import { installRootOf, launchInstaller, launchInstallerUnit, runningAppRoot, UNIT_JOB_FILE } from './launch-installer.js';

// The room's side of software updates: a version offered in the hub's answer to a report is fetched,
// checked with the release key this box trusts, held while a hearing is being recorded, then handed to the
// installer process (provisioning/update), which switches, restarts, watches and rolls back. The status
// (common/contracts/updates.ts) goes to the hub with every report and survives restarts (status.json).

const TERMINAL = new Set(['installed', 'refused', 'rolled-back', 'failed', 'installing']);

export interface UpdaterDeps {
  config: UpdatesConfig;
  stateDir: string;
  apiPort: number;
  link: () => Promise<Pick<HubLink, 'baseUrl' | 'token' | 'fetch'>>;
  health: { snapshot(): HealthReply };
  /** A hearing is being recorded: no install now. */
  busy: () => boolean;
  restart: UpdateJob['restart'];
  /** Under systemd: the installer is reception-update.service (launch-installer.ts says why). */
  systemd: boolean;
  logger: Logger;
  /** Tests: where the app runs from, and how the installer is started. */
  appRoot?: string;
  launch?: typeof launchInstaller;
  launchUnit?: typeof launchInstallerUnit;
  /** Tests: the job file the installer unit reads (UNIT_JOB_FILE). */
  unitJobFile?: string;
  waitMs?: number;
}

export function createUpdater(deps: UpdaterDeps) {
  const log = deps.logger;
  const tracker = new HealthTracker();
  let status: UpdateStatus | null = null;
  let working: Promise<void> | undefined;
  let stopped = false;
  const appRoot = deps.appRoot ?? runningAppRoot();
  const installRoot = deps.config.installRoot || installRootOf(appRoot);
  const keyFile = deps.config.releaseKeyFile || join(deps.stateDir, 'keys', 'release-public.pem');

  const set = async (offer: UpdateOffer, state: UpdateStatus['state'], reason: string | null = null) => {
    status = { version: offer.version, attempt: offer.attempt, state, reason, at: new Date().toISOString() };
    await writeUpdateStatus(deps.stateDir, status);
    (state === 'refused' || state === 'failed' ? log.warn.bind(log) : log.info.bind(log))(
      { version: offer.version, state, reason },
      'update',
    );
  };

  async function attempt(offer: UpdateOffer) {
    const unitJob = deps.unitJobFile ?? UNIT_JOB_FILE;
    if (deps.systemd && join(updatesDir(deps.stateDir), 'job.json') !== unitJob)
      return set(
        offer,
        'refused',
        `bộ cài đặt đọc việc cần làm ở ${unitJob}, thư mục trạng thái của phòng ở chỗ khác — the installer unit reads its job from ${unitJob}, this room's state is at ${deps.stateDir}`,
      );
    if (!installRoot)
      return set(
        offer,
        'refused',
        'máy không chạy từ bố cục cài đặt — this box does not run from an installed layout (<root>/releases/<version>, see updates.installRoot)',
      );
    if (!existsSync(keyFile)) return set(offer, 'refused', `chưa có khóa phát hành — no release key at ${keyFile} (set at commissioning)`);
    const key = publicKeyRawFromAnyPem(await readFile(keyFile, 'utf8'));
    const dir = join(updatesDir(deps.stateDir), offer.version);
    await set(offer, 'downloading');
    const link = await deps.link();
    const signed = await fetchReleaseFile(link, offer, dir, key);
    if (!signed.ok) return set(offer, 'refused', `${signed.refusal.vi} — ${signed.refusal.en}`);
    const m = signed.release.manifest;
    if (m.nodeMajor !== Number.parseInt(process.versions.node, 10))
      return set(
        offer,
        'refused',
        `cần Node ${m.nodeMajor}, máy có ${process.versions.node} — needs Node ${m.nodeMajor}, this box has ${process.versions.node}`,
      );
    const got = await fetchArchive(link, offer, dir, m.archive.name, m.archive.bytes);
    const full = await verifyRelease(signed.file!, key);
    if (!full.ok) return set(offer, 'refused', `${full.refusal.vi} — ${full.refusal.en}`);
    log.info({ version: offer.version, fetchedBytes: got }, 'update: release fetched and verified');
    while (deps.busy() && !stopped) {
      if (status?.state !== 'waiting-for-hearing-end') await set(offer, 'waiting-for-hearing-end');
      await new Promise((r) => setTimeout(r, deps.waitMs ?? 5000));
    }
    if (stopped) return;
    const h = deps.health.snapshot();
    const job: UpdateJob = {
      version: offer.version,
      attempt: offer.attempt,
      releaseFile: signed.file!,
      installRoot,
      trustedKeyFile: keyFile,
      healthUrl: `http://127.0.0.1:${deps.apiPort}/api/v1/health`,
      windowSeconds: deps.config.windowSeconds,
      stableSeconds: deps.config.stableSeconds,
      before: { status: h.status, gateway: h.gateway?.state ?? null, media: h.media?.health.state ?? null },
      restart: deps.restart,
    };
    await set(offer, 'installing');
    const jobFile = await writeUpdateJob(deps.stateDir, job);
    if (deps.systemd) {
      await (deps.launchUnit ?? launchInstallerUnit)();
      log.warn(
        { version: offer.version, before: job.before },
        'update: reception-update.service started; the room restarts on the new version',
      );
      return;
    }
    const launcher = (deps.launch ?? launchInstaller)({
      appRoot: appRoot!,
      jobFile,
      logFile: join(updatesDir(deps.stateDir), 'install.log'),
    });
    log.warn({ version: offer.version, launcher, before: job.before }, 'update: installer started; the room restarts on the new version');
  }

  return {
    async start() {
      status = await readUpdateStatus(deps.stateDir);
      stopped = false;
      tracker.set(deps.config.enabled ? 'online' : 'stopped');
    },
    async stop() {
      stopped = true;
      await working;
      tracker.set('stopped');
    },
    health: () => tracker.get(),
    /** For the fleet report. */
    status: () => status,
    /** From the hub's answer: started unless this attempt already ran, or one is running. */
    offer(offer: UpdateOffer) {
      if (!deps.config.enabled || stopped || working || offer.version === VERSION) return;
      if (status?.attempt === offer.attempt && TERMINAL.has(status.state)) return;
      working = attempt(offer)
        .catch((err: Error) => set(offer, 'failed', err.message).catch(() => undefined))
        .finally(() => {
          working = undefined;
        });
    },
  };
}
export type Updater = ReturnType<typeof createUpdater>;
