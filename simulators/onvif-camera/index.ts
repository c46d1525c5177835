// ONVIF PTZ camera simulator: SOAP device/media/PTZ services over HTTP, WS-Discovery over UDP, motion
// from the shared PtzModel, view pushed to an optional RTSP picture, and the shared fault controls.
import { networkInterfaces } from 'node:os';
import { WSD_PORT } from '../../common/protocols/onvif/index.js';
import { NO_FAULTS, type Faults, type SimulatorHandle } from '../faults.js';
import { PtzModel } from '../ptz-model/ptz-model.js';
import type { DigestAlgorithm } from '../../common/protocols/http-digest/index.js';
import type { CameraInfo, ServiceContext, SimProfile } from './device-service.js';
import { createDiscoveryResponder } from './discovery-socket.js';
import { deviceScopes, endpointUrn } from './discovery-xml.js';
import { createDigestGate, type SimAuthMode } from './http-auth.js';
import { createSoapHttpServer, type SoapTraffic } from './http-server.js';
import { MULTI_PROFILES, SINGLE_PROFILE } from './media-service.js';
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
  /** The camera's clock minus the real one, ms (skew; setClockOffset() jumps it). */
  clockOffsetMs?: number;
  /** Credentials taken: 'ws-security' (default), 'digest' (HTTP Digest only) or 'both'. */
  auth?: SimAuthMode;
  /** Digest challenges offered, preferred first. Default SHA-256 then MD5. */
  digestAlgorithms?: DigestAlgorithm[];
  /** Three media profiles, the first without PTZ (media-service.ts MULTI_PROFILES). */
  multiProfile?: boolean;
  /** host[:port] the camera names in its XAddrs, stream URI and discovery (its LAN address behind NAT). */
  advertisedHost?: string;
  /** Media SetSynchronizationPoint answered (default true; false: ActionNotSupported, as cameras without it). */
  syncPoint?: boolean;
}

export const SYNC_POINT_MODES = ['idr', 'ignore', 'refuse'] as const;
export type SyncPointMode = (typeof SYNC_POINT_MODES)[number];

export interface OnvifCameraSim extends SimulatorHandle {
  /** The address a client dials (the listener), whatever the camera advertises. */
  readonly xaddr: string;
  readonly model: PtzModel;
  readonly discoveryPort: number | undefined;
  /** Requests per operation, concurrency and abandoned requests seen so far. */
  readonly traffic: SoapTraffic;
  /** The camera's clock jumps (NTP correction, RTC reset at reboot): camera minus real time, ms. */
  setClockOffset(ms: number): void;
  /** Answers of one operation (e.g. 'GetProfiles', '*' for all) come this much later, ms. */
  setActionLatency(action: string, ms: number): void;
  setAuth(mode: SimAuthMode): void;
  /** SetSynchronizationPoint: idr (answered, an IDR on the picture), ignore (answered, no IDR: the before/after
   *  bench) or refuse (ActionNotSupported, as a camera without it). */
  setSyncPoint(mode: SyncPointMode): void;
  /** Someone changes the camera's password (web page, another tool): the old one is refused from now on. */
  setPassword(password: string): void;
  /** The Digest nonces issued so far expire (as at a reboot, which forgets them too). */
  expireNonces(): void;
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
  let clockOffsetMs = opts.clockOffsetMs ?? 0;
  let authMode: SimAuthMode = opts.auth ?? 'ws-security';
  const actionLatency = new Map<string, number>();

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

  const listenerBase = () => `http://${reachable(host)}:${http.port}/onvif`;
  const base = () => (opts.advertisedHost ? `http://${opts.advertisedHost}/onvif` : listenerBase());
  let syncPointMode: SyncPointMode = opts.syncPoint === false ? 'refuse' : 'idr';
  const syncPoint = (p: SimProfile) => void (syncPointMode === 'idr' && p.encoding === 'H264' && opts.picture?.forceKeyframe?.());
  const ctx: ServiceContext = {
    info,
    now: () => Date.now() + clockOffsetMs,
    profiles: opts.multiProfile ? MULTI_PROFILES : SINGLE_PROFILE,
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
    streamUri: () =>
      opts.picture?.rtspUri ??
      opts.rtspUri ??
      `rtsp://${opts.advertisedHost ? new URL(`http://${opts.advertisedHost}`).hostname : reachable(host)}:554/stream`,
    snapshotUri: () => opts.picture?.snapshotUri ?? opts.snapshotUri,
    // One RTSP picture serves every H.264 profile here, so any profile's sync point is an IDR on it.
    get syncPoint() {
      return syncPointMode === 'refuse' ? undefined : syncPoint;
    },
  };
  const ptz: PtzState = { model, clock, home: initialHome(), moved: () => picture.kick() };
  const credentials = { username: opts.username, password: opts.password };
  const gateOptions = {
    ...credentials,
    realm: `IP Camera(${info.serialNumber.slice(-5)})`,
    algorithms: (): DigestAlgorithm[] => opts.digestAlgorithms ?? ['SHA-256', 'MD5'],
  };
  const gate = createDigestGate(gateOptions);

  const http = createSoapHttpServer({
    host,
    port: opts.port ?? 0,
    faults: () => faults,
    actionLatency: (action) => (action === undefined ? 0 : (actionLatency.get(action) ?? 0)) + (actionLatency.get('*') ?? 0),
    handle: (xml, req) =>
      dispatchSoap(
        xml,
        { ctx, ptz, credentials, protocolError: () => faults.protocolError, auth: { mode: () => authMode, gate } },
        ctx.now!(),
        req,
      ),
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
      return `${listenerBase()}/device_service`;
    },
    get traffic() {
      return http.traffic;
    },
    setSyncPoint(mode) {
      syncPointMode = mode;
    },
    setClockOffset(ms) {
      clockOffsetMs = ms;
    },
    setActionLatency(action, ms) {
      if (ms > 0) actionLatency.set(action, ms);
      else actionLatency.delete(action);
    },
    setAuth(mode) {
      authMode = mode;
    },
    setPassword(password) {
      credentials.password = password; // WS-UsernameToken reads it per request
      gateOptions.password = password; // and so does the Digest gate
      gate.forget();
    },
    expireNonces: () => gate.forget(),
    get discoveryPort() {
      return discovery?.port;
    },
    async start() {
      if (running) return;
      gate.forget(); // a (re)booted camera knows none of the nonces it gave before
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
