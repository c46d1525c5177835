import { setTimeout as delay } from 'node:timers/promises';
import { EventEmitter } from 'node:events';
import { DeviceRejectedError, DeviceUnavailableError, InvalidRequestError, NotFoundError } from '../../../common/errors.js';
import { HealthTracker } from '../../../common/lifecycle.js';
import { silentLogger, type Logger } from '../../../common/log.js';
import {
  parsePresets,
  parseSetPreset,
  parseStatus,
  parseStreamUri,
  setPresetBody,
  type XmlNode,
} from '../../../common/protocols/onvif/index.js';
import { mediaRequests, ptzRequests } from '../../../common/protocols/onvif/soap-requests.js';
import { createSupervisor, type Supervisor } from '../../../common/supervise/supervisor.js';
import { connectCamera, type OnvifSession, request, streamUriFor } from './onvif/connect.js';
import { flagFunctionPresets } from './onvif/function-presets.js';
import { createSyncPoint, type SyncPoint, type SyncPointAnswer, syncPointRequest } from './onvif/sync-point.js';
import { FULL_TRANSLATION } from './onvif/ptz-spaces.js';
import { SoapFaultError, toDriverError, type ErrorContext } from './onvif/onvif-faults.js';
import { type AuthMode, OnvifSoapClient } from './onvif/soap-client.js';
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
import { checkPosition, checkSpeed, clampDelta, clampVelocity } from './ptz-validate.js';

export interface OnvifPtzOptions {
  id: string;
  /** Device service URL, e.g. http://192.168.1.64/onvif/device_service */
  xaddr: string;
  username: string;
  password: string;
  /** Media profile to drive; default: the camera's first profile with a PTZ configuration. */
  profileToken?: string;
  /** auto (default): WS-Security, HTTP Digest once the camera challenges; or forced. */
  auth?: AuthMode;
  /** Deadline of every camera request. */
  timeoutMs?: number;
  /** Pause before logging in again after the camera refused the credentials (lockout counters); default 60 s. */
  credentialsHoldMs?: number;
  logger?: Logger;
}

type Build = (s: OnvifSession) => { url: string; body: string };
const ptz =
  (body: (profile: string) => string): Build =>
  (s) => ({ url: s.urls.ptz, body: body(s.profile.token) });

/** ONVIF PTZ camera over our own SOAP client. start() never waits long: an absent camera reconnects in the background. */
export class OnvifPtz implements PtzDriver {
  readonly kind = 'onvif' as const;
  readonly events = new EventEmitter<PtzEvents>();
  private readonly tracker = new HealthTracker((h) => this.events.emit('health', h));
  private readonly log: Logger;
  private readonly client: OnvifSoapClient;
  private session?: OnvifSession;
  private stopped = true;
  private haltTimer?: NodeJS.Timeout;
  /** Aborted by stop(): the connect attempt and the calls in flight end with it. */
  private life = new AbortController();
  /** No login before this (epoch ms): the camera refused our credentials. */
  private credentialsHoldUntil = 0;
  private readonly link: Supervisor<OnvifSession>;
  /** Issue 15 target 4: IDR on a subscriber's join (passthrough), merged within 1 s, off for good once refused. */
  private readonly syncPoint: SyncPoint;

  constructor(private readonly opts: OnvifPtzOptions) {
    this.log = opts.logger?.child({ camera: opts.id }) ?? silentLogger();
    this.client = new OnvifSoapClient({
      username: opts.username,
      password: opts.password,
      auth: opts.auth ?? 'auto',
      deviceUrl: opts.xaddr,
      onClockSync: (offsetMs, reason) => this.log.info({ offsetMs, reason }, 'camera clock read'),
      onAuthChosen: (auth) => this.log.info({ auth }, 'camera asks for HTTP Digest: using it'),
    });
    this.syncPoint = createSyncPoint({
      log: this.log,
      // Not through call(): a camera without the operation must not be marked offline or count as a refused login.
      send: async () => {
        const s = this.connected();
        if (this.credentialsHoldUntil > Date.now()) throw new DeviceUnavailableError(this.id, 'credentials refused');
        const media = { id: this.id, client: this.client, timeoutMs: this.timeoutMs };
        await request(media, 'SetSynchronizationPoint', s.urls.media, syncPointRequest(s.profile.token), this.life.signal);
      },
    });
    this.link = createSupervisor<OnvifSession>({ baseMs: 500, maxMs: 15_000, build: () => this.connect() });
    this.link.events.on('up', (session) => {
      this.session = session;
      const { profile, info, spaces } = session;
      this.log.info({ profile: profile.token, info, auth: this.client.auth, limits: spaces.limits }, 'camera connected');
      this.markOnline();
    });
    this.link.events.on('retry', ({ reason, attempt }) => {
      if (!this.stopped) this.tracker.set('offline', reason);
      this.log.warn({ attempt: attempt - 1, err: reason }, 'camera connect failed, retrying');
    });
  }

  get id() {
    return this.opts.id;
  }

  private get timeoutMs() {
    return this.opts.timeoutMs ?? 1500;
  }

  /** Waits for the first attempt at most max(3 s, 3 × timeoutMs); the attempt itself goes on (no total deadline). */
  async start() {
    this.stopped = false;
    this.life = new AbortController();
    this.tracker.set('starting');
    let timer: NodeJS.Timeout | undefined;
    const wait = new Promise<void>((r) => (timer = setTimeout(r, Math.max(3000, this.timeoutMs * 3))));
    await Promise.race([this.link.start(), wait]).finally(() => clearTimeout(timer));
  }

  async stop() {
    this.stopped = true;
    clearTimeout(this.haltTimer);
    this.syncPoint.stop();
    this.life.abort(new DeviceUnavailableError(this.id, 'driver stopped'));
    await this.link.stop();
    this.session = undefined;
    this.tracker.set('stopped');
  }

  limits(): PtzLimits {
    return this.session?.spaces.limits ?? FULL_RANGE;
  }

  health() {
    return this.tracker.get();
  }

  /** How requests are authenticated now and the camera clock's offset (for health detail and tests). */
  get transport() {
    return { auth: this.client.auth, clockOffsetMs: this.client.offsetMs, profile: this.session?.profile.token, urls: this.session?.urls };
  }

  async info(): Promise<CameraInfo> {
    return { ...this.connected().info };
  }

  /** Asked fresh each time: Dahua and others mark their URIs InvalidAfterConnect. */
  async streamUri() {
    return this.call(
      'GetStreamUri',
      (s) => ({ url: s.urls.media, body: mediaRequests.getStreamUri(s.profile.token) }),
      (b, s) => {
        const uri = parseStreamUri(b);
        return uri ? streamUriFor(uri, s, this.opts.xaddr) : null;
      },
    );
  }

  /** An I-frame from the camera now on the driven profile's stream (Media SetSynchronizationPoint); never rejects. */
  requestSyncPoint(): Promise<SyncPointAnswer> {
    return this.syncPoint.request();
  }

  async status(): Promise<PtzStatus> {
    return this.call('GetStatus', ptz(ptzRequests.getStatus), (b) => {
      const st = parseStatus(b);
      if (!st) throw new DeviceRejectedError(this.id, 'GetStatus answer has no PTZ position');
      return st;
    });
  }

  async continuousMove(velocity: PtzVector, timeoutMs?: number) {
    const v = clampVelocity(velocity, this.session?.spaces.velocity ?? FULL_TRANSLATION);
    if (timeoutMs !== undefined && !(timeoutMs > 0)) throw new InvalidRequestError('timeoutMs', `must be > 0, got ${timeoutMs}`);
    clearTimeout(this.haltTimer);
    // The camera gets whole seconds (cameras' Timeout ranges start at PT1S) as a safety net; we halt on time.
    const safety = timeoutMs === undefined ? undefined : Math.max(1, Math.ceil(timeoutMs / 1000)) * 1000;
    await this.call(
      'ContinuousMove',
      ptz((p) => ptzRequests.continuousMove(p, v, safety)),
      () => undefined,
    );
    if (timeoutMs !== undefined) {
      this.haltTimer = setTimeout(() => this.halt().catch((e) => this.log.warn({ err: e }, 'timed halt failed')), timeoutMs);
    }
  }

  async halt() {
    clearTimeout(this.haltTimer);
    await this.call('Stop', ptz(ptzRequests.stop), () => undefined);
  }

  async absoluteMove(position: PtzVector, speed?: number) {
    checkPosition(position, 'position', this.limits(), this.session ? this.id : undefined);
    checkSpeed(speed);
    await this.call(
      'AbsoluteMove',
      ptz((p) => ptzRequests.absoluteMove(p, position, speed)),
      () => undefined,
    );
  }

  async relativeMove(delta: PtzVector, speed?: number) {
    const d = clampDelta(delta, this.session?.spaces.translation ?? FULL_TRANSLATION);
    checkSpeed(speed);
    await this.call(
      'RelativeMove',
      ptz((p) => ptzRequests.relativeMove(p, d, speed)),
      () => undefined,
    );
  }

  async home() {
    await this.call('GotoHomePosition', ptz(ptzRequests.gotoHome), () => undefined);
  }

  /** Every preset the camera lists, vendor function presets flagged (who may see or recall them is policy). */
  async presets(): Promise<PtzPreset[]> {
    return this.call('GetPresets', ptz(ptzRequests.getPresets), (b, s) => flagFunctionPresets(s.info.manufacturer, parsePresets(b)));
  }

  async gotoPreset(token: string, speed?: number) {
    checkSpeed(speed);
    await this.presetCall(
      token,
      'GotoPreset',
      ptz((p) => ptzRequests.gotoPreset(p, token, speed)),
      () => undefined,
    );
  }

  async setPreset(name: string, token?: string) {
    if (name.length < 1 || name.length > 64) throw new InvalidRequestError('name', 'must be 1 to 64 characters');
    const build = ptz((p) => setPresetBody(p, name, token));
    const read = (b: XmlNode) => {
      const assigned = parseSetPreset(b) ?? token;
      if (!assigned) throw new DeviceRejectedError(this.id, 'SetPreset answer has no PresetToken');
      return assigned;
    };
    return token === undefined ? this.call('SetPreset', build, read) : this.presetCall(token, 'SetPreset', build, read);
  }

  async removePreset(token: string) {
    await this.presetCall(
      token,
      'RemovePreset',
      ptz((p) => ptzRequests.removePreset(p, token)),
      () => undefined,
    );
  }

  // ── plumbing ────────────────────────────────────────────────────────────────────────────────

  private connected(): OnvifSession {
    if (this.session) return this.session;
    this.link.retryNow(); // a caller wants the camera: retry now instead of after the backoff
    throw new DeviceUnavailableError(this.id, this.health().lastError ?? 'not connected yet');
  }

  /** One connect attempt for the supervisor: a session, or a driver error saying why not. */
  private async connect(): Promise<OnvifSession> {
    // After a refused login, wait before the next one: cameras lock the account after a few (Dahua: 5).
    const hold = this.credentialsHoldUntil - Date.now();
    if (hold > 0) await delay(hold, undefined, { signal: this.life.signal });
    try {
      const { id, xaddr, profileToken } = this.opts;
      return await connectCamera(
        { id, xaddr, profileToken, timeoutMs: this.timeoutMs, client: this.client, log: this.log },
        this.life.signal,
      );
    } catch (err) {
      this.noteRefusal(err);
      throw toDriverError(this.id, err);
    }
  }

  private noteRefusal(err: unknown) {
    if (!isCredentialsRefused(err)) return;
    this.credentialsHoldUntil = Date.now() + (this.opts.credentialsHoldMs ?? 60_000);
    this.log.warn({ holdMs: this.opts.credentialsHoldMs ?? 60_000 }, 'camera refused the credentials: next login attempt held back');
  }

  private markOnline() {
    if (this.stopped) return;
    if (this.tracker.get().state === 'offline') {
      this.tracker.countReconnect();
      this.log.info('camera back online');
    }
    this.tracker.set('online');
  }

  /** Every camera request: deadline (clock re-sync and digest retries included), error mapping, health. */
  private async call<T>(what: string, build: Build, read: (body: XmlNode, s: OnvifSession) => T, ctx: ErrorContext = {}): Promise<T> {
    const s = this.connected();
    const hold = this.credentialsHoldUntil - Date.now();
    if (hold > 0) throw new DeviceUnavailableError(this.id, `credentials refused; next login in ${Math.ceil(hold / 1000)} s`);
    try {
      const { url, body } = build(s);
      const result = read(
        await request({ id: this.id, client: this.client, timeoutMs: this.timeoutMs }, what, url, body, this.life.signal),
        s,
      );
      this.markOnline();
      return result;
    } catch (err) {
      const e = toDriverError(this.id, err, ctx);
      this.noteRefusal(err);
      if (e instanceof DeviceUnavailableError || isCredentialsRefused(err)) {
        // Refused even on its own clock: the camera is unusable until its credentials or auth setting change.
        if (!this.stopped) this.tracker.set('offline', e.message);
      } else this.markOnline(); // it answered, even if with a refusal
      throw e;
    }
  }

  /** Vendors fault an unknown preset token every which way; the preset list is the arbiter. */
  private async presetCall<T>(token: string, what: string, build: Build, read: (b: XmlNode, s: OnvifSession) => T): Promise<T> {
    try {
      return await this.call(what, build, read, { preset: token });
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

const isCredentialsRefused = (e: unknown) => e instanceof SoapFaultError && e.fault.subcodes.some((c) => /(^|:)NotAuthorized$/.test(c));
