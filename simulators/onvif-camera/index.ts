// ONVIF PTZ camera simulator: SOAP device/media/PTZ services over HTTP, WS-Discovery over UDP, motion
// from the shared PtzModel, view pushed to an optional RTSP picture, and the shared fault controls.
import { networkInterfaces } from 'node:os';
import { WSD_PORT } from '../../common/protocols/onvif/index.js';
import { NO_FAULTS, type Faults, type SimulatorHandle } from '../faults.js';
import { PtzModel } from '../ptz-model/ptz-model.js';
import type { CameraInfo, ServiceContext } from './device-service.js';
import { createDiscoveryResponder } from './discovery-socket.js';
import { deviceScopes, endpointUrn } from './discovery-xml.js';
import { createSoapHttpServer } from './http-server.js';
import { createPictureSync, type PictureSink } from './picture-sync.js';
import { initialHome, type PtzState } from './ptz-moves.js';
import { dispatchSoap } from './soap-dispatch.js';

export type { PictureSink } from './picture-sync.js';

export interface OnvifCameraSimOptions {
  host?: string;
  port?: number;
  username: string;
  password: string;
  name?: string;
  manufacturer?: string;
  model?: string;
  serialNumber?: string;
  location?: string;
  /** WS-Discovery responder; null disables it. Default: port 3702 on all interfaces. */
  discovery?: { port: number; address?: string } | null;
  rtspUri?: string;
  snapshotUri?: string;
  picture?: PictureSink;
  /** Monotonic ms clock for the motion model (tests may drive it); wall time stays Date.now(). */
  clock?: () => number;
}

export interface OnvifCameraSim extends SimulatorHandle {
  readonly xaddr: string;
  readonly model: PtzModel;
  readonly discoveryPort: number | undefined;
}

/** 0.0.0.0 is not an address a client can dial; advertise the first LAN IPv4 instead. */
function reachable(host: string): string {
  if (host !== '0.0.0.0') return host;
  const lan = Object.values(networkInterfaces())
    .flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal);
  return lan?.address ?? '127.0.0.1';
}

export function createOnvifCameraSim(opts: OnvifCameraSimOptions): OnvifCameraSim {
  const host = opts.host ?? '127.0.0.1';
  const name = opts.name ?? 'Reception PTZ Sim';
  const clock = opts.clock ?? (() => performance.now());
  const model = new PtzModel(clock);
  const picture = createPictureSync(model, opts.picture);
  let faults: Faults = { ...NO_FAULTS };
  let running = false;

  const info: CameraInfo = {
    name,
    manufacturer: opts.manufacturer ?? 'ReceptionSim',
    model: opts.model ?? 'PTZ-SIM-1',
    firmwareVersion: '1.0.0',
    serialNumber: opts.serialNumber ?? 'SIM0001',
    hardwareId: opts.model ?? 'PTZ-SIM-1',
    scopes: [],
  };
  info.scopes = deviceScopes({ name, model: info.model, location: opts.location ?? 'reception-room' });

  const base = () => `http://${reachable(host)}:${http.port}/onvif`;
  const ctx: ServiceContext = {
    info,
    urls: {
      get device() {
        return `${base()}/device_service`;
      },
      get media() {
        return `${base()}/media_service`;
      },
      get ptz() {
        return `${base()}/ptz_service`;
      },
    },
    streamUri: () => opts.picture?.rtspUri ?? opts.rtspUri ?? `rtsp://${reachable(host)}:554/stream`,
    snapshotUri: () => opts.picture?.snapshotUri ?? opts.snapshotUri,
  };
  const ptz: PtzState = { model, clock, home: initialHome(), moved: () => picture.kick() };
  const credentials = { username: opts.username, password: opts.password };

  const http = createSoapHttpServer({
    host,
    port: opts.port ?? 0,
    faults: () => faults,
    handle: (xml) => dispatchSoap(xml, { ctx, ptz, credentials, protocolError: () => faults.protocolError }),
  });
  const discovery =
    opts.discovery === null
      ? undefined
      : createDiscoveryResponder({
          port: opts.discovery?.port ?? WSD_PORT,
          address: opts.discovery?.address,
          faults: () => faults,
          advert: () => ({ endpoint: endpointUrn(info.serialNumber), xaddrs: [ctx.urls.device], scopes: info.scopes }),
        });

  return {
    model,
    get xaddr() {
      return ctx.urls.device;
    },
    get discoveryPort() {
      return discovery?.port;
    },
    async start() {
      if (running) return;
      if (!faults.offline) await http.listen();
      try {
        await discovery?.start();
      } catch (e) {
        await http.close();
        throw e;
      }
      running = true;
      picture.reset();
      picture.kick();
    },
    async stop() {
      running = false;
      picture.stop();
      await Promise.all([http.close(), discovery?.stop()]);
    },
    health: () => ({ state: running ? 'running' : 'stopped', faults: { ...faults } }),
    async setFaults(change) {
      const wasOffline = faults.offline;
      faults = { ...faults, ...change };
      if (!running || wasOffline === faults.offline) return;
      // Offline means the port refuses connections, as a powered-off camera's would.
      if (faults.offline) await http.close();
      else await http.listen();
    },
  };
}
