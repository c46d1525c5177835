// The mechanical model shared by every simulated PTZ camera (ONVIF, VISCA, in-process sim):
// positions in ONVIF generic units, moves limited by a top speed, so a move takes real time
// and a status read mid-move shows MOVING. Pure: time is passed in, nothing is scheduled.

export interface Vec {
  pan: number;
  tilt: number;
  zoom: number;
}

export interface ModelPreset {
  token: string;
  name: string;
  position: Vec;
  /** A vendor function slot (reboot, OSD menu, scan…): listed, callable, never overwritten nor removed. */
  special?: SpecialAction;
}

/** What calling a function slot does to the mechanics; 'none' = a function outside PT/Z (OSD, day mode, reboot…). */
export type SpecialAction = 'scan' | 'stop' | 'origin' | 'flip' | 'none';

/** Reachable range per axis, in generic units (a lens whose zoom ends at 0.5, a head with tilt stops…). */
export interface AxisLimits {
  pan: [number, number];
  tilt: [number, number];
  zoom: [number, number];
}

/** Full speed: units per second. Pan from -1 to 1 takes 2 / 0.8 = 2.5 s, as on a small PTZ dome. */
export const MAX_SPEED: Vec = { pan: 0.8, tilt: 0.8, zoom: 0.5 };
export const HOME: Vec = { pan: 0, tilt: 0, zoom: 0 };

type Motion =
  | { kind: 'idle' }
  | { kind: 'velocity'; from: Vec; start: number; velocity: Vec; until: number }
  | { kind: 'target'; from: Vec; start: number; target: Vec; speed: number };

const clamp = (v: number, min: number, max: number) => Math.min(max, Math.max(min, v));
const AXES = ['pan', 'tilt', 'zoom'] as const;
export const FULL_LIMITS: AxisLimits = { pan: [-1, 1], tilt: [-1, 1], zoom: [0, 1] };

export function clampVec(v: Vec, l: AxisLimits = FULL_LIMITS): Vec {
  return { pan: clamp(v.pan, ...l.pan), tilt: clamp(v.tilt, ...l.tilt), zoom: clamp(v.zoom, ...l.zoom) };
}

export class PtzModel {
  private motion: Motion = { kind: 'idle' };
  private resting: Vec = { ...HOME };
  private readonly presetMap = new Map<string, ModelPreset>();
  private nextToken = 1;
  private range: AxisLimits = FULL_LIMITS;

  constructor(private readonly clock: () => number = () => performance.now()) {}

  /** The mechanical range; moves and presets stay inside it. */
  limits(): AxisLimits {
    return { pan: [...this.range.pan], tilt: [...this.range.tilt], zoom: [...this.range.zoom] };
  }

  setLimits(l: Partial<AxisLimits>): void {
    this.range = { ...this.range, ...l };
    this.resting = clampVec(this.position(), this.range);
    this.motion = { kind: 'idle' };
  }

  clamp(v: Vec): Vec {
    return clampVec(v, this.range);
  }

  position(now = this.clock()): Vec {
    return this.evaluate(now).position;
  }

  /** Per axis: is it still moving at `now`? */
  moving(now = this.clock()): { panTilt: boolean; zoom: boolean } {
    return this.evaluate(now).moving;
  }

  continuous(velocity: Vec, durationMs = Infinity): void {
    const now = this.clock();
    const v = { pan: clamp(velocity.pan, -1, 1), tilt: clamp(velocity.tilt, -1, 1), zoom: clamp(velocity.zoom, -1, 1) };
    this.motion = { kind: 'velocity', from: this.settle(now), start: now, velocity: v, until: now + durationMs };
  }

  moveTo(target: Vec, speed = 1): void {
    const now = this.clock();
    this.motion = { kind: 'target', from: this.settle(now), start: now, target: this.clamp(target), speed: clamp(speed, 0.01, 1) };
  }

  moveBy(delta: Vec, speed = 1): void {
    const p = this.position();
    this.moveTo({ pan: p.pan + delta.pan, tilt: p.tilt + delta.tilt, zoom: p.zoom + delta.zoom }, speed);
  }

  stop(axes: { panTilt: boolean; zoom: boolean } = { panTilt: true, zoom: true }): void {
    const now = this.clock();
    const still = this.motion; // read before settle() clears it
    const p = this.settle(now);
    if (axes.panTilt && axes.zoom) return;
    // Stop one axis group, keep the other going toward its goal.
    if (still.kind === 'idle') return;
    const keep = axes.panTilt ? 'zoom' : 'panTilt';
    if (still.kind === 'target') {
      const target = keep === 'zoom' ? { ...p, zoom: still.target.zoom } : { ...still.target, zoom: p.zoom };
      this.motion = { kind: 'target', from: p, start: now, target, speed: still.speed };
    } else {
      const v = keep === 'zoom' ? { pan: 0, tilt: 0, zoom: still.velocity.zoom } : { ...still.velocity, zoom: 0 };
      this.motion = { kind: 'velocity', from: p, start: now, velocity: v, until: still.until };
    }
  }

  presets(): ModelPreset[] {
    return [...this.presetMap.values()].map((p) => ({ ...p, position: { ...p.position } }));
  }

  preset(token: string): ModelPreset | undefined {
    return this.presetMap.get(token);
  }

  setPreset(name: string, token?: string, position = this.position(), special?: SpecialAction): string {
    const t = token ?? this.freeToken();
    this.presetMap.set(t, { token: t, name: name || `Preset ${t}`, position: this.clamp(position), ...(special ? { special } : {}) });
    return t;
  }

  removePreset(token: string): boolean {
    return this.presetMap.delete(token);
  }

  clearPresets(): void {
    this.presetMap.clear();
    this.nextToken = 1;
  }

  private freeToken(): string {
    while (this.presetMap.has(String(this.nextToken))) this.nextToken++;
    return String(this.nextToken++);
  }

  /** Freeze the current motion into a resting position and go idle. */
  private settle(now: number): Vec {
    this.resting = this.position(now);
    this.motion = { kind: 'idle' };
    return { ...this.resting };
  }

  private evaluate(now: number): { position: Vec; moving: { panTilt: boolean; zoom: boolean } } {
    const m = this.motion;
    if (m.kind === 'idle') return { position: { ...this.resting }, moving: { panTilt: false, zoom: false } };
    const out = { ...m.from };
    const movingAxis = { pan: false, tilt: false, zoom: false };
    if (m.kind === 'velocity') {
      const t = (Math.min(now, m.until) - m.start) / 1000;
      for (const a of AXES) {
        const [lo, hi] = this.range[a];
        out[a] = clamp(m.from[a] + m.velocity[a] * MAX_SPEED[a] * t, lo, hi);
        const atStop = (m.velocity[a] > 0 && out[a] >= hi) || (m.velocity[a] < 0 && out[a] <= lo);
        movingAxis[a] = m.velocity[a] !== 0 && now < m.until && !atStop;
      }
    } else {
      const t = (now - m.start) / 1000;
      for (const a of AXES) {
        const dist = m.target[a] - m.from[a];
        const travelled = MAX_SPEED[a] * m.speed * t;
        out[a] = Math.abs(dist) <= travelled ? m.target[a] : m.from[a] + Math.sign(dist) * travelled;
        movingAxis[a] = Math.abs(dist) > travelled;
      }
    }
    return { position: out, moving: { panTilt: movingAxis.pan || movingAxis.tilt, zoom: movingAxis.zoom } };
  }
}
