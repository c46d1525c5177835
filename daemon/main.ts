import { join, resolve } from 'node:path';
import { createRootLogger } from '../common/log.js';
import { VERSION } from '../common/version.js';
import { runAsService } from '../common/process/run-as-service.js';
import { daemonWatchdogGate } from './watchdog-gate.js';
import { loadConfig } from './config/load-config.js';
import { createAuditLog } from './modules/audit/audit-log.js';
import { createApi } from './modules/api/create-api.js';
import { createDevices } from './modules/devices/create-devices.js';
import { createAudioFollow } from './modules/audio-follow/create-audio-follow.js';
import { createEventBus } from './modules/events/event-bus.js';
import { createMedia } from './modules/media/create-media.js';
import { createGatewayLink } from './modules/gateway-link/gateway-link.js';
import { createKeys } from './modules/keys/keys.js';
import { createHearings } from './modules/hearings/create-hearings.js';
import { createRecorder } from './modules/recorder/create-recorder.js';
import { takeRecordingsLock } from './modules/recorder/recordings-lock.js';
import { createBookStore } from './modules/book/book-store.js';
import { createManifestWriter } from './modules/evidence/manifest-file.js';
import { createUploader } from './modules/uploader/create-uploader.js';
import { uploaderSettings } from './modules/uploader/settings.js';
import { createRetention } from './modules/retention/create-retention.js';
import { createFleetReport } from './modules/fleet-report/create-fleet-report.js';
import { createHealth } from './modules/health/create-health.js';
import { createClock } from './modules/clock/create-clock.js';
import { createHostHealth } from './modules/host-health/create-host-health.js';
import { createRemoteOps } from './modules/remote-ops/create-remote-ops.js';
import { createRestarter } from './modules/remote-ops/restart.js';
import { createEnrollmentRetry } from './modules/enrollment/create-enrollment-retry.js';
import { preflight } from './modules/remote-ops/trial.js';
import { createSelfTest } from './modules/self-test/create-self-test.js';
import { fleetReportSettings } from './modules/fleet-report/settings.js';
import { createUpdater } from './modules/updater/create-updater.js';
import { restartOfJob } from './modules/updater/restart-of-job.js';
import { openHubLink } from '../common/enrollment/hub-link.js';
import { createKioskSessions } from './modules/kiosk/kiosk-sessions.js';
import { loadLocalSecret } from '../common/local-bridge/local-secret.js';
import { stateToken } from '../common/local-bridge/bridge-ticket.js';

export interface DaemonOptions {
  configFile?: string;
}

/** The room daemon: modules in start order, one line each (convention 3). */
export async function runDaemon(opts: DaemonOptions) {
  const t0 = performance.now();
  const configFile = opts.configFile ?? process.env.RECEPTION_CONFIG;
  const trial = configFile ? await preflight(configFile, (f) => loadConfig(f)) : null; // a pushed config on trial: rolled back here if it does not load or keeps crashing (modules/remote-ops)
  const config = await loadConfig(opts.configFile); // validated once; throws ConfigError naming the bad field
  const logger = createRootLogger('daemon');
  const bus = createEventBus(); // typed events for the WebSocket and, later, the kiosk
  const recordings = await takeRecordingsLock({
    stateDir: config.paths.state,
    recordingsDir: config.paths.recordings,
    logger: logger.child({ module: 'recorder' }),
  }); // one writer: a leftover worker killed, the kernel's lock held
  const audit = createAuditLog(join(resolve(config.paths.state), 'audit.jsonl')); // who did what, when
  const devices = createDevices({ cameras: config.cameras, audio: config.audio, bus, logger }); // PTZ + DSP drivers
  const audioFollow = createAudioFollow({
    config: config.audioFollow,
    meterRateMs: config.audio.meterRateMs,
    cameras: devices.cameras,
    dsp: devices.dsp,
    bus,
    audit,
    logger: logger.child({ module: 'audio-follow' }),
  }); // DSP meters steer the camera's presets (off by default)
  const media = config.media.enabled
    ? createMedia({
        config: config.media,
        room: config.room,
        cameras: devices.cameras,
        writerLock: recordings.lock,
        workerPidFile: recordings.workerPidFile,
        bus,
        logger: logger.child({ module: 'media' }),
      })
    : undefined; // GStreamer worker process: cameras in, RTP out
  const localSecret = await loadLocalSecret(resolve(config.paths.state)); // shared with the gateway: /state token, kiosk bridge tickets
  const gateway = createGatewayLink({
    url: `http://${config.gateway.host}:${config.gateway.port}`,
    stateToken: stateToken(localSecret),
    bus,
    logger: logger.child({ module: 'gateway-link' }),
  }); // polls the gateway process's /state
  const keys = createKeys({ stateDir: resolve(config.paths.state), logger: logger.child({ module: 'keys' }) }); // appliance Ed25519 key (manifest signatures)
  const clock = createClock({ logger: logger.child({ module: 'clock' }) }); // offset to the hub's clock, measured by each fleet report
  const recorder = createRecorder({
    config: config.recording,
    recordingsDir: resolve(config.paths.recordings),
    room: config.room,
    key: () => keys.applianceKey(),
    worker: media?.worker,
    onAir: () => media?.status().source ?? null,
    clock: clock.summary, // the offset in the open and close entries
    bus,
    logger: logger.child({ module: 'recorder' }),
  }); // segments + signed manifest per hearing
  const manifests = createManifestWriter({
    recordingsDir: resolve(config.paths.recordings),
    key: () => keys.applianceKey(),
    room: config.room.id,
    logger: logger.child({ module: 'manifest' }),
  }); // book entries in each hearing's manifest
  const book = createBookStore({
    recordingsDir: resolve(config.paths.recordings),
    bookKey: () => keys.bookKey(),
    manifest: manifests,
    logger: logger.child({ module: 'book' }),
  }); // reception book records (Sổ tiếp công dân)
  const hearings = createHearings({
    stateFile: join(resolve(config.paths.state), 'hearings.json'),
    gateway,
    bus,
    logger: logger.child({ module: 'hearings' }),
  }); // the current hearing: hub-reported or local
  const uploader = config.uploader.enabled
    ? createUploader({
        ...uploaderSettings(config.uploader, config.gateway),
        recordings: resolve(config.paths.recordings),
        stateDir: resolve(config.paths.state),
        bus,
        logger: logger.child({ module: 'uploader' }),
      })
    : undefined; // forwards segments, manifest, book to the hub archive (receipts)
  const retention = config.retention.enabled
    ? createRetention({
        keepDays: config.retention.keepDays,
        minFreeMb: config.retention.minFreeMb,
        intervalMs: config.retention.sweepSeconds * 1000,
        recordings: resolve(config.paths.recordings),
        stateDir: resolve(config.paths.state),
        bus,
        logger: logger.child({ module: 'retention' }),
      })
    : undefined; // deletes only receipted segments; disk alarm
  const kiosk = { sessions: createKioskSessions(config.kiosk), settings: config.kiosk, gateway: config.gateway, bridgeSecret: localSecret }; // the kiosk page's officer PIN sessions (memory only)
  const host = createHostHealth({
    paths: { recordings: resolve(config.paths.recordings), state: resolve(config.paths.state) },
    logger: logger.child({ module: 'host-health' }),
  }); // the box: CPU, memory, temperatures, disks, network (systeminformation on a worker thread)
  const health = createHealth({
    kiosk: kiosk.sessions,
    devices,
    room: config.room,
    version: VERSION,
    media,
    gateway,
    recorder,
    uploader,
    retention,
    host,
    audioFollow,
    fleet: () => fleet,
    clock,
  }); // the room's health: GET /api/v1/health, sent to the hub by the fleet report
  // Commissioned while the hub was away: the pending one-time code is tried until the hub answers (modules/enrollment).
  const enrollmentRetry = createEnrollmentRetry({
    stateDir: resolve(config.paths.state),
    logger: logger.child({ module: 'enrollment' }),
    restart: () => createRestarter(config.remoteOps, logger.child({ module: 'enrollment' })).restart({ daemon: true, gateway: true }),
  });
  const remoteOps =
    config.fleet.enabled && config.remoteOps.enabled
      ? createRemoteOps({
          settings: config.remoteOps,
          configFile,
          stateDir: resolve(config.paths.state),
          room: config.room,
          trial,
          health,
          hub: fleetReportSettings(config.fleet, config.uploader, config.gateway),
          lastReport: (): unknown => fleet?.lastReport(),
          version: VERSION,
          onResult: (): void => void fleet?.reportNow(),
          selfTest: { run: (o) => selfTest.run(o) }, // created below; ops arrive only once everything has started
          logger: logger.child({ module: 'remote-ops' }),
        })
      : undefined; // config push with rollback, diagnostics, restart: asked at the hub's console
  // Signed software updates offered by the hub (modules/updater): fetched, checked, installed outside hearings.
  const updater =
    config.fleet.enabled && config.updates.enabled
      ? createUpdater({
          config: config.updates,
          stateDir: resolve(config.paths.state),
          apiPort: config.api.port,
          link: () => openHubLink(resolve(config.paths.state), fleetReportSettings(config.fleet, config.uploader, config.gateway)),
          health,
          busy: () => !['idle', 'disabled'].includes(recorder.status().state), // a hearing (or a self-test) is being recorded
          ...restartOfJob(config.remoteOps),
          logger: logger.child({ module: 'updater' }),
        })
      : undefined;
  const fleet = config.fleet.enabled
    ? createFleetReport({
        ...fleetReportSettings(config.fleet, config.uploader, config.gateway),
        stateDir: resolve(config.paths.state), // the enrollment: hub URL, token, CA
        room: config.room,
        health,
        recorder,
        book,
        ops: remoteOps, // results of remote operations go with the reports, the answers' ops to it
        updates: updater, // its status goes with each report; a version the hub offers goes to it
        bus,
        clock,
        logger: logger.child({ module: 'fleet-report' }),
      })
    : undefined; // health reports to the hub; reception book entries from the hub console
  const selfTest = createSelfTest({
    room: config.room.id,
    stateDir: resolve(config.paths.state),
    hearings,
    recorder,
    publicKeyRaw: () => keys.applianceKey().publicKeyRaw,
    logger: logger.child({ module: 'self-test' }),
  }); // a short local hearing recorded, verified, uploaded until receipted (commissioning, remote ops)
  const api = createApi({
    ...config.api,
    room: config.room,
    version: VERSION,
    access: config.access,
    audit,
    devices,
    bus,
    media,
    gateway,
    hearings,
    recorder,
    book,
    health,
    kiosk,
    audioFollow,
    selfTest,
    logger: logger.child({ module: 'api' }),
  });

  await devices.start();
  await audioFollow.start(); // listens to the DSP's meters; moves once someone talks (or after silenceMs)
  await media?.start(); // after the drivers: it asks them for their RTSP URIs
  await gateway.start(); // never fails: an absent gateway reads 'down'
  await keys.start(); // before the recorder signs anything
  await clock.start();
  await recorder.start(); // before hearings: it must hear the resumed hearing
  await hearings.start(); // resumes a persisted hearing (recording goes on)
  await uploader?.start(); // scans paths.recordings: everything without a receipt is queued again
  await retention?.start();
  await host.start(); // first sample ~1 s later; until then health says host: null
  await health.start();
  await api.start();
  await enrollmentRetry.start(); // a pending enrollment (reception provision with the hub away): tried now and again
  await remoteOps?.start(); // judges a config on trial; before the reports, so the first one carries its results
  await updater?.start(); // reads the last update's status (an installer may have just restarted the room)
  await fleet?.start(); // last: it reports what the others say
  const service = runAsService({
    name: 'daemon',
    logger,
    line: { url: api.address(), readyMs: Math.round(performance.now() - t0), rssMb: Math.round(process.memoryUsage.rss() / 1048576) },
    healthy: daemonWatchdogGate({ api, media, env: process.env, logger }).healthy, // systemd's watchdog (daemon/watchdog-gate.ts)
    graceMs: 15_000, // under TimeoutStopSec=20 and pm2's kill_timeout 20 s
    async stop() {
      await fleet?.stop();
      await updater?.stop();
      await remoteOps?.stop();
      await enrollmentRetry.stop();
      await api.stop(); // reverse order of start
      await health.stop();
      await host.stop();
      await retention?.stop();
      await uploader?.stop();
      await hearings.stop();
      await recorder.stop(); // the hearing is not closed: a restart resumes it
      await clock.stop();
      await gateway.stop();
      await media?.stop();
      await audioFollow.stop();
      await devices.stop();
      await keys.stop();
    },
  });
  return { api, devices, media, stop: service.close };
}
