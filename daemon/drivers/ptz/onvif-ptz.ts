import { EventEmitter } from 'node:events';
import onvif, { type OnvifDevice, type OnvifServicePtz } from 'node-onvif';
import { DeviceRejectedError, DeviceUnavailableError, InvalidRequestError, NotFoundError } from '../../../common/errors.js';
import { HealthTracker } from '../../../common/lifecycle.js';
import { silentLogger, type Logger } from '../../../common/log.js';
import { createSupervisor, type Supervisor } from '../../../common/supervise/supervisor.js';
import { withTimeout } from '../../../common/timeout.js';
import { toDriverError, type ErrorContext } from './onvif/onvif-faults.js';
import { parsePresets, parseSetPreset, parseStatus, parseStreamUri, setPresetBody } from '../../../common/protocols/onvif/index.js';
import { callPtz } from './onvif/onvif-soap.js';
import {
  FULL_RANGE,
  type CameraInfo,
  type PtzDriver,
  type PtzEvents,
  type PtzLimits,
  type PtzPreset,
  type PtzStatus,
  type PtzVector,
} from './ptz-driver.js';
import { checkPosition, checkSpeed, checkVelocity } from './ptz-validate.js';

export interface OnvifPtzOptions {
  id: string;
  /** Device service URL, e.g. http://192.168.1.64/onvif/device_service */
  xaddr: string;
  username: string;
  password: string;
  /** Media profile to drive; default: the camera's first profile. */
  profileToken?: string;
  /** Deadline of every camera request (node-onvif has none of its own worth trusting). */
  timeoutMs?: number;
  logger?: Logger;
}

interface Session {
  device: OnvifDevice;
  ptz: OnvifServicePtz;
  profile: string;
}

const vec = (v: PtzVector) => ({ x: v.pan, y: v.tilt, z: v.zoom });
const speedVec = (s: number | undefined) => (s === undefined ? {} : { Speed: { x: s, y: s, z: s } });

/** ONVIF PTZ camera over node-onvif. start() never waits long: an absent camera reconnects in the background. */
export class OnvifPtz implements PtzDriver {
  readonly kind = 'onvif' as const;
  readonly events = new EventEmitter<PtzEvents>();
  private readonly tracker = new HealthTracker((h) => this.events.emit('health', h));
  private readonly log: Logger;
  private session?: Session;
  private stopped = true;
  private haltTimer?: NodeJS.Timeout;
  /** node-onvif init (clock offset, capabilities, device info, profiles, stream URIs), retried 500 ms → 15 s. */
  private readonly link: Supervisor<Session>;

  constructor(private readonly opts: OnvifPtzOptions) {
    this.log = opts.logger?.child({ camera: opts.id }) ?? silentLogger();
    this.link = createSupervisor<Session>({ baseMs: 500, maxMs: 15_000, build: () => this.connect() });
    this.link.events.on('up', (session) => {
      this.session = session;
      this.log.info({ profile: session.profile, info: session.device.getInformation() }, 'camera connected');
      this.markOnline();
    });
    this.link.events.on('retry', ({ reason, attempt }) => {
      if (!this.stopped) this.tracker.set('offline', reason);
      this.log.warn({ attempt: attempt - 1, err: reason }, 'camera init failed, retrying');
    });
  }

  get id() {
    return this.opts.id;
  }

  private get timeoutMs() {
    return this.opts.timeoutMs ?? 1500;
  }

  async start() {
    this.stopped = false;
    this.tracker.set('starting');
    await Promise.race([this.link.start(), new Promise((r) => setTimeout(r, this.initTimeoutMs()).unref())]);
  }

  async stop() {
    this.stopped = true;
    clearTimeout(this.haltTimer);
    await this.link.stop();
    this.tracker.set('stopped');
  }

  limits(): PtzLimits {
    return FULL_RANGE;
  }

  health() {
    return this.tracker.get();
  }

  async info(): Promise<CameraInfo> {
    const i = this.connected().device.getInformation() ?? {};
    return {
      manufacturer: i.Manufacturer ?? '',
      model: i.Model ?? '',
      firmwareVersion: i.FirmwareVersion ?? '',
      serialNumber: i.SerialNumber ?? '',
    };
  }

  /** Asked fresh each time: Dahua and others mark their URIs InvalidAfterConnect. */
  async streamUri() {
    return this.call('GetStreamUri', async (s) => {
      const r = await s.device.services.media!.getStreamUri({ ProfileToken: s.profile, Protocol: 'RTSP' });
      return parseStreamUri(r.data) ?? null;
    });
  }

  async status(): Promise<PtzStatus> {
    return this.call('GetStatus', async (s) => {
      const st = parseStatus((await s.ptz.getStatus({ ProfileToken: s.profile })).data);
      if (!st) throw new DeviceRejectedError(this.id, 'GetStatus answer has no PTZ position');
      return st;
    });
  }

  async continuousMove(velocity: PtzVector, timeoutMs?: number) {
    checkVelocity(velocity);
    if (timeoutMs !== undefined && !(timeoutMs > 0)) throw new InvalidRequestError('timeoutMs', `must be > 0, got ${timeoutMs}`);
    clearTimeout(this.haltTimer);
    // ONVIF's Timeout is whole seconds in node-onvif; the camera gets it as a safety net, we halt on time.
    const timeout = timeoutMs === undefined ? {} : { Timeout: Math.max(1, Math.ceil(timeoutMs / 1000)) };
    await this.call('ContinuousMove', (s) => s.ptz.continuousMove({ ProfileToken: s.profile, Velocity: vec(velocity), ...timeout }));
    if (timeoutMs !== undefined) {
      this.haltTimer = setTimeout(() => this.halt().catch((e) => this.log.warn({ err: e }, 'timed halt failed')), timeoutMs);
    }
  }

  async halt() {
    clearTimeout(this.haltTimer);
    await this.call('Stop', (s) => s.ptz.stop({ ProfileToken: s.profile, PanTilt: true, Zoom: true }));
  }

  async absoluteMove(position: PtzVector, speed?: number) {
    checkPosition(position);
    checkSpeed(speed);
    await this.call('AbsoluteMove', (s) => s.ptz.absoluteMove({ ProfileToken: s.profile, Position: vec(position), ...speedVec(speed) }));
  }

  /** node-onvif's RelativeMove has no Speed: the camera's default speed applies. */
  async relativeMove(delta: PtzVector, speed?: number) {
    checkVelocity(delta, 'delta');
    checkSpeed(speed);
    await this.call('RelativeMove', (s) => s.ptz.relativeMove({ ProfileToken: s.profile, Translation: vec(delta) }));
  }

  async home() {
    await this.call('GotoHomePosition', (s) => s.ptz.gotoHomePosition({ ProfileToken: s.profile }));
  }

  async presets(): Promise<PtzPreset[]> {
    return this.call('GetPresets', async (s) => parsePresets((await s.ptz.getPresets({ ProfileToken: s.profile })).data));
  }

  async gotoPreset(token: string, speed?: number) {
    checkSpeed(speed);
    await this.presetCall(token, 'GotoPreset', (s) =>
      s.ptz.gotoPreset({ ProfileToken: s.profile, PresetToken: token, ...speedVec(speed) }),
    );
  }

  async setPreset(name: string, token?: string) {
    if (name.length < 1 || name.length > 64) throw new InvalidRequestError('name', 'must be 1 to 64 characters');
    const target = (s: Session) => ({
      url: s.ptz.xaddr,
      user: this.opts.username,
      pass: this.opts.password,
      timeDiffMs: s.device.time_diff,
    });
    const work = async (s: Session) => {
      const assigned = parseSetPreset(await callPtz(target(s), setPresetBody(s.profile, name, token), this.timeoutMs)) ?? token;
      if (!assigned) throw new DeviceRejectedError(this.id, 'SetPreset answer has no PresetToken');
      return assigned;
    };
    return token === undefined ? this.call('SetPreset', work) : this.presetCall(token, 'SetPreset', work);
  }

  async removePreset(token: string) {
    await this.presetCall(token, 'RemovePreset', (s) => s.ptz.removePreset({ ProfileToken: s.profile, PresetToken: token }));
  }

  // ── plumbing ────────────────────────────────────────────────────────────────────────────────

  private initTimeoutMs() {
    return Math.max(3000, this.timeoutMs * 3);
  }

  private connected(): Session {
    if (this.session) return this.session;
    this.link.retryNow(); // a caller wants the camera: retry now instead of after the backoff
    throw new DeviceUnavailableError(this.id, this.health().lastError ?? 'not connected yet');
  }

  /** One connect attempt for the supervisor: a session, or a driver error saying why not. */
  private async connect(): Promise<Session> {
    try {
      const device = new onvif.OnvifDevice({ xaddr: this.opts.xaddr, user: this.opts.username, pass: this.opts.password });
      await withTimeout(this.id, this.initTimeoutMs(), device.init(), 'ONVIF init');
      const ptz = device.services.ptz;
      if (!ptz) throw new DeviceRejectedError(this.id, 'camera has no PTZ service');
      const profile = this.opts.profileToken ? device.changeProfile(this.opts.profileToken) : device.getCurrentProfile();
      if (!profile) throw new DeviceRejectedError(this.id, `no media profile ${this.opts.profileToken ?? ''}`.trim());
      return { device, ptz, profile: profile.token };
    } catch (err) {
      throw toDriverError(this.id, err);
    }
  }

  private markOnline() {
    if (this.stopped) return;
    if (this.tracker.get().state === 'offline') {
      this.tracker.countReconnect();
      this.log.info('camera back online');
    }
    this.tracker.set('online');
  }

  /** Every camera request: deadline, error mapping, health bookkeeping. */
  private async call<T>(what: string, work: (s: Session) => Promise<T>, ctx: ErrorContext = {}): Promise<T> {
    const s = this.connected();
    try {
      const result = await withTimeout(this.id, this.timeoutMs, work(s), what);
      this.markOnline();
      return result;
    } catch (err) {
      const e = toDriverError(this.id, err, ctx);
      if (e instanceof DeviceUnavailableError) {
        if (!this.stopped) this.tracker.set('offline', e.message);
      } else this.markOnline(); // it answered, even if with a refusal
      throw e;
    }
  }

  /** Vendors fault an unknown preset token every which way; the preset list is the arbiter. */
  private async presetCall<T>(token: string, what: string, work: (s: Session) => Promise<T>): Promise<T> {
    try {
      return await this.call(what, work, { preset: token });
    } catch (e) {
      if (
        e instanceof DeviceRejectedError &&
        !(await this.presets().then(
          (l) => l.some((p) => p.token === token),
          () => true,
        ))
      ) {
        throw new NotFoundError(`camera ${this.id} has no preset ${token}`);
      }
      throw e;
    }
  }
}
