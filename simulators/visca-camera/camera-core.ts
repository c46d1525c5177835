import * as v from '../../common/protocols/visca/index.js';
import type { PtzModel } from '../ptz-model/ptz-model.js';
import { MotionGoals, type Group } from './motion-goals.js';

// What a Sony VISCA camera does with each command: two sockets, ACK at once, Completion when the
// work is done (end of motion for absolute / relative / home / reset / zoom direct / recall),
// inquiries answered from the motion model. Transport-free: replies go to `send`.

export interface CameraCoreOptions {
  address: number;
  ranges?: v.ViscaRanges;
  /** Highest memory number accepted (127 on BRC models, 15 on many EVI models). */
  maxPreset?: number;
  version?: v.ViscaVersion;
}

export const SIM_VERSION: v.ViscaVersion = { vendorId: 0x0020, modelId: 0x0519, romVersion: 0x0100, maxSocket: 2 };
const SOCKETS = [1, 2];
const IMMEDIATE = new Set(['pan-tilt-drive', 'zoom-stop', 'zoom-tele', 'zoom-wide']);

export class CameraCore {
  address: number;
  private readonly running = new Map<number, Group[]>();
  private readonly goals: MotionGoals;
  private readonly r: v.ViscaRanges;

  constructor(
    readonly model: PtzModel,
    private readonly send: (bytes: Uint8Array) => void,
    private readonly opts: CameraCoreOptions,
  ) {
    this.address = opts.address;
    this.goals = new MotionGoals(model);
    this.r = opts.ranges ?? v.DEFAULT_RANGES;
  }

  /** Sends Completion for every socket whose motion has ended. Called on a short timer. */
  tick(): void {
    const moving = this.goals.settle();
    for (const [socket, groups] of this.running) {
      if (groups.some((g) => moving[g])) continue;
      this.running.delete(socket);
      this.send(v.completionReply(this.address, socket));
    }
  }

  get busy(): boolean {
    return this.running.size > 0;
  }

  handle({ address, command: c }: v.DecodedCommand): void {
    const a = this.address;
    if (address !== a && address !== v.BROADCAST) return; // another camera on the chain
    if (!c) return this.send(v.errorReply(a, 0, 0x02));
    const pos = this.model.position();
    switch (c.kind) {
      case 'pan-tilt-pos-inq':
        return this.send(v.completionReply(a, 0, v.panTiltPosPayload(v.panToVisca(pos.pan, this.r), v.tiltToVisca(pos.tilt, this.r))));
      case 'zoom-pos-inq':
        return this.send(v.completionReply(a, 0, v.zoomPosPayload(v.zoomToVisca(pos.zoom, this.r))));
      case 'version-inq':
        return this.send(v.completionReply(a, 0, v.versionPayload(this.opts.version ?? SIM_VERSION)));
      case 'address-set':
        this.address = c.address;
        return this.send(v.packet(0x88, 0x30, c.address + 1));
      case 'if-clear':
        this.running.clear();
        this.goals.clear('panTilt', 'zoom');
        return this.send(address === v.BROADCAST ? v.ifClear() : v.completionReply(a, 0));
      case 'cancel': {
        const groups = this.running.get(c.socket);
        if (!groups) return this.send(v.errorReply(a, c.socket, 0x05));
        this.running.delete(c.socket);
        this.goals.clear(...groups);
        return this.send(v.errorReply(a, c.socket, 0x04));
      }
      default:
        return this.execute(c);
    }
  }

  private execute(c: v.ViscaCommand): void {
    const a = this.address;
    const plan = this.plan(c);
    if (plan === 'syntax') return this.send(v.errorReply(a, 0, 0x02));
    if (!plan.run) return this.send(v.errorReply(a, SOCKETS.find((s) => !this.running.has(s)) ?? 1, 0x41));
    // Newest command wins: whatever still runs on the same axes completes now.
    for (const [socket, groups] of this.running) {
      if (!groups.some((g) => plan.groups.includes(g))) continue;
      this.running.delete(socket);
      this.send(v.completionReply(a, socket));
    }
    const socket = SOCKETS.find((s) => !this.running.has(s));
    if (socket === undefined) return this.send(v.errorReply(a, 0, 0x03));
    this.send(v.ackReply(a, socket));
    plan.run();
    if (IMMEDIATE.has(c.kind) || plan.groups.length === 0) this.send(v.completionReply(a, socket));
    else this.running.set(socket, plan.groups);
  }

  /** Which axes a command drives and what it does; `run` undefined = "not executable" now. */
  private plan(c: v.ViscaCommand): 'syntax' | { groups: Group[]; run?: () => void } {
    const r = this.r;
    const g = this.goals;
    switch (c.kind) {
      case 'pan-tilt-drive':
      case 'absolute-position':
      case 'relative-position': {
        if (c.panSpeed < 1 || c.panSpeed > 0x18 || c.tiltSpeed < 1 || c.tiltSpeed > 0x14) return 'syntax';
        const speed = v.panSpeedFromVisca(c.panSpeed);
        if (c.kind === 'pan-tilt-drive') {
          const still = c.pan === 0 && c.tilt === 0;
          const goal = { kind: 'velocity' as const, pan: c.pan * speed, tilt: c.tilt * v.tiltSpeedFromVisca(c.tiltSpeed) };
          return { groups: ['panTilt'], run: () => g.set('panTilt', still ? undefined : goal) };
        }
        const p = this.model.position();
        const base = c.kind === 'relative-position' ? [v.panToVisca(p.pan, r), v.tiltToVisca(p.tilt, r)] : [0, 0];
        const [pan, tilt] = [base[0] + c.pan, base[1] + c.tilt];
        if (pan < r.panMin || pan > r.panMax || tilt < r.tiltMin || tilt > r.tiltMax) return { groups: ['panTilt'] };
        const goal = { kind: 'target' as const, pan: v.panFromVisca(pan, r), tilt: v.tiltFromVisca(tilt, r), speed };
        return { groups: ['panTilt'], run: () => g.set('panTilt', goal) };
      }
      case 'home':
      case 'pan-tilt-reset':
        return { groups: ['panTilt'], run: () => g.set('panTilt', { kind: 'target', pan: 0, tilt: 0, speed: 1 }) };
      case 'zoom-stop':
        return { groups: ['zoom'], run: () => g.set('zoom', undefined) };
      case 'zoom-tele':
      case 'zoom-wide': {
        const speed = v.zoomSpeedFromVisca(c.speed ?? 3) * (c.kind === 'zoom-tele' ? 1 : -1);
        return { groups: ['zoom'], run: () => g.set('zoom', { kind: 'velocity', zoom: speed }) };
      }
      case 'zoom-direct':
        if (c.position > r.zoomMax) return { groups: ['zoom'] };
        return { groups: ['zoom'], run: () => g.set('zoom', { kind: 'target', zoom: v.zoomFromVisca(c.position, r) }) };
      case 'memory':
        return this.memory(c.action, c.preset);
      default:
        return 'syntax';
    }
  }

  private memory(action: v.MemoryAction, preset: number): 'syntax' | { groups: Group[]; run?: () => void } {
    if (preset > (this.opts.maxPreset ?? 127)) return 'syntax';
    const token = String(preset);
    if (action === 'set') return { groups: [], run: () => void this.model.setPreset(`Preset ${token}`, token) };
    if (action === 'reset') return { groups: [], run: () => void this.model.removePreset(token) };
    const stored = this.model.preset(token);
    if (!stored) return { groups: ['panTilt', 'zoom'] }; // never stored: not executable
    const { pan, tilt, zoom } = stored.position;
    return {
      groups: ['panTilt', 'zoom'],
      run: () => {
        this.goals.set('panTilt', { kind: 'target', pan, tilt, speed: 1 });
        this.goals.set('zoom', { kind: 'target', zoom });
      },
    };
  }
}
