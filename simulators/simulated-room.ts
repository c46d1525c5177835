import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { openPtyPair, type PtyPair } from '../common/pty/socat-pair.js';
import { BadActionBody, createControlServer, numberField } from './control-server.js';
import type { Faults, SimulatorHandle } from './faults.js';
import { SIM_AUTH_MODES, type SimAuthMode } from './onvif-camera/http-auth.js';
import { createOnvifCameraSim, SYNC_POINT_MODES, type SyncPointMode } from './onvif-camera/index.js';
import { seedHikvisionPresets } from './onvif-camera/ptz-vendor-presets.js';
import { createRtspPicture } from './rtsp-picture/index.js';
import { createTesiraDspSim } from './tesira-dsp/index.js';
import { createViscaCameraSim } from './visca-camera/index.js';
import { INSTALLER_PRESETS, installerPresetNames } from './installer-presets.js';

export interface SimulatedRoomOptions {
  host: string;
  onvifPort: number;
  rtspPort: number;
  /** WS-Discovery UDP port; null: no responder. */
  discoveryPort: number | null;
  controlPort: number;
  /** Where the pty links live (the "serial devices" the daemon opens). */
  dir: string;
  username: string;
  password: string;
  name: string;
  /** Skip the RTSP picture (tests that need no video save a core). */
  picture: boolean;
}

export interface SimulatedRoomEndpoints {
  onvif: { xaddr: string; username: string; password: string; rtsp: string | null; discoveryPort: number | null };
  visca: { device: string };
  tesira: { device: string };
  control: string;
}

/** The whole room's hardware, simulated: ONVIF camera + its picture, VISCA camera, Tesira DSP, fault controls. */
export async function startSimulatedRoom(opts: SimulatedRoomOptions) {
  mkdirSync(opts.dir, { recursive: true });
  const dir = resolve(opts.dir);
  const picture = opts.picture ? createRtspPicture({ port: opts.rtspPort, host: opts.host, name: opts.name }) : undefined;
  const onvif = createOnvifCameraSim({
    host: opts.host,
    port: opts.onvifPort,
    username: opts.username,
    password: opts.password,
    name: opts.name,
    discovery: opts.discoveryPort === null ? null : { port: opts.discoveryPort, address: opts.host },
    rtspUri: picture?.rtspUri,
    picture,
  });
  const viscaCable: PtyPair = await openPtyPair(dir, 'visca');
  const tesiraCable: PtyPair = await openPtyPair(dir, 'tesira');
  const visca = createViscaCameraSim({ path: viscaCable.simEnd });
  const tesira = createTesiraDspSim({ path: tesiraCable.simEnd });
  const rtsp = picture && {
    setFaults: async () => {
      throw new Error('the RTSP server has no fault modes; use stop/start');
    },
    health: () => picture.health(),
    start: () => picture.start(),
    stop: () => picture.stop(),
  };
  // Wrappers, not spreads: the simulators are class instances whose methods live on the prototype.
  const steer = (sim: SimulatorHandle, state: () => unknown) => ({
    setFaults: (f: Partial<Faults>) => sim.setFaults(f),
    health: () => sim.health(),
    state,
  });
  // The camera as a whole (its ONVIF service and its picture) loses power and comes back: a loose PoE
  // cable or a tripping switch port. Flapping repeats that, down `downMs` then up `upMs`, until stopped.
  const camera = { powered: true, flapping: false, cycles: 0, flap: Promise.resolve(), wake: () => {} };
  const power = async (on: boolean) => {
    camera.powered = on;
    await onvif.setFaults({ offline: !on });
    if (picture) await (on ? picture.start() : picture.stop());
  };
  const pause = (ms: number) =>
    new Promise<void>((r) => {
      const t = setTimeout(r, ms);
      camera.wake = () => (clearTimeout(t), r());
    });
  const stopFlap = async () => {
    camera.flapping = false;
    camera.wake();
    await camera.flap;
  };
  const cameraActions = {
    /** {"password": "…"}: the camera's password changes under the room's feet. */
    password: (b: Record<string, unknown>) => {
      if (typeof b.password !== 'string' || b.password === '') throw new BadActionBody('password must be a non-empty string');
      onvif.setPassword(b.password);
    },
    /** {"mode": "digest" | "ws-security" | "both"} */
    auth: (b: Record<string, unknown>) => {
      if (!SIM_AUTH_MODES.includes(b.mode as SimAuthMode)) throw new BadActionBody(`mode must be one of ${SIM_AUTH_MODES.join(', ')}`);
      onvif.setAuth(b.mode as SimAuthMode);
    },
    /** {"mode": "idr" | "ignore" | "refuse"}: how the camera takes SetSynchronizationPoint (bench before/after). */
    'sync-point': (b: Record<string, unknown>) => {
      if (!SYNC_POINT_MODES.includes(b.mode as SyncPointMode))
        throw new BadActionBody(`mode must be one of ${SYNC_POINT_MODES.join(', ')}`);
      onvif.setSyncPoint(b.mode as SyncPointMode);
    },
    /** {"offsetMs": 3600000}: the camera's clock jumps. */
    clock: (b: Record<string, unknown>) => onvif.setClockOffset(numberField(b, 'offsetMs', 0, Number.NEGATIVE_INFINITY)),
    'power-off': async () => (await stopFlap(), await power(false)),
    'power-on': async () => (await stopFlap(), await power(true)),
    /** {"downMs": 3000, "upMs": 3000}: power off and on again and again until flap-stop (which leaves it on). */
    flap: async (b: Record<string, unknown>) => {
      const downMs = numberField(b, 'downMs', 3000, 100);
      const upMs = numberField(b, 'upMs', 3000, 100);
      await stopFlap();
      camera.flapping = true;
      camera.flap = (async () => {
        while (camera.flapping) {
          await power(false);
          await pause(downMs);
          await power(true); // a flap always ends with the camera on
          camera.cycles++;
          if (camera.flapping) await pause(upMs);
        }
      })().catch(() => {
        camera.flapping = false;
      });
    },
    'flap-stop': async () => {
      await stopFlap();
      if (!camera.powered) await power(true);
      return { cycles: camera.cycles };
    },
  };
  const dspActions = {
    /** The RS-232 cable pulled out / plugged back. */
    unplug: () => tesira.setFaults({ offline: true }),
    plug: () => tesira.setFaults({ offline: false }),
    /** {"bootMs": 200}: the unit reboots with the cable in (deaf, then the banner; subscriptions lost). */
    reboot: async (b: Record<string, unknown>) => {
      await tesira.reboot(numberField(b, 'bootMs', 200));
    },
    /** A technician sends a configuration from Tesira software: subscriptions end without a word. */
    'push-config': () => tesira.pushConfiguration(),
  };
  const control = createControlServer(
    {
      onvif: {
        ...steer(onvif, () => ({
          position: onvif.model.position(),
          moving: onvif.model.moving(),
          powered: camera.powered,
          flapping: camera.flapping,
          flapCycles: camera.cycles,
        })),
        actions: cameraActions,
      },
      visca: steer(visca, () => ({ position: visca.model.position(), moving: visca.model.moving() })),
      tesira: { ...steer(tesira, () => ({})), actions: dspActions },
      ...(rtsp ? { rtsp } : {}),
    },
    opts.host,
    opts.controlPort,
  );

  // A room as the technician leaves it: the ONVIF camera lists a real dome's slots (280 of 300, its vendor
  // function presets among them: reboot, OSD menu, scans), the installer's shots stored over slots 1-3; the
  // config names those three, the only ones officers see (cameras[].presetNames).
  seedHikvisionPresets(onvif.model);
  for (const p of INSTALLER_PRESETS) {
    onvif.model.setPreset(p.name, p.token, p.position);
    visca.model.setPreset(`Preset ${p.token}`, p.token, p.position);
  }
  await picture?.start();
  await Promise.all([onvif.start(), visca.start(), tesira.start(), control.start()]);
  const endpoints: SimulatedRoomEndpoints = {
    onvif: {
      xaddr: onvif.xaddr,
      username: opts.username,
      password: opts.password,
      rtsp: picture?.rtspUri ?? null,
      discoveryPort: onvif.discoveryPort ?? null,
    },
    visca: { device: viscaCable.deviceEnd },
    tesira: { device: tesiraCable.deviceEnd },
    control: control.url(),
  };
  return {
    endpoints,
    onvif,
    visca,
    tesira,
    picture,
    async stop() {
      await stopFlap().catch(() => {});
      await Promise.allSettled([control.stop(), onvif.stop(), visca.stop(), tesira.stop(), picture?.stop()]);
      await Promise.allSettled([viscaCable.close(), tesiraCable.close()]);
    },
  };
}

export interface SimulatedRoomConfigOptions {
  roomId: string;
  roomName: string;
  apiPort: number;
  stateDir: string;
  hubUrl: string;
  gatewayPort: number;
  videoRtpPort: number;
  audioRtpPort: number;
}

/** A room config that drives the simulated room: the ONVIF camera on air, the VISCA camera second, the Tesira DSP, the hub link. */
export function configForSimulatedRoom(e: SimulatedRoomEndpoints, o: SimulatedRoomConfigOptions) {
  return {
    room: { id: o.roomId, name: o.roomName },
    api: { host: '127.0.0.1', port: o.apiPort },
    paths: { state: `${o.stateDir}/state`, recordings: `${o.stateDir}/recordings` },
    cameras: [
      {
        id: 'cam1',
        name: 'Camera chính (ONVIF)',
        driver: 'onvif',
        onvif: { xaddr: e.onvif.xaddr, username: e.onvif.username, password: e.onvif.password },
        presetNames: installerPresetNames(), // officers see these only, never the camera's whole list
      },
      {
        id: 'cam2',
        name: 'Camera phụ (VISCA)',
        driver: 'visca',
        visca: { path: e.visca.device, baudRate: 9600, address: 1 },
        presetNames: installerPresetNames(),
      },
    ],
    audio: { driver: 'tesira', path: e.tesira.device, baudRate: 115200 },
    media: { primaryCamera: 'cam1', videoRtpPort: o.videoRtpPort, audioRtpPort: o.audioRtpPort },
    gateway: { hubUrl: o.hubUrl, port: o.gatewayPort }, // its credential: `reception enroll` (enrollment.json)
  };
}
