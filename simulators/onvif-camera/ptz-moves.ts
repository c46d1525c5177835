// PTZ move operations on the shared PtzModel: ContinuousMove, AbsoluteMove, RelativeMove, Stop, home.
import { HOME, type PtzModel, type SpecialAction, type Vec } from '../ptz-model/ptz-model.js';
import { readFlag, readProfile, readSpeed, readTimeout, readVector } from './ptz-args.js';
import type { XmlNode } from '../../common/protocols/onvif/index.js';

/** The last motion command, kept so Stop can stop one axis group (see Stop below). */
export type LastMotion = { kind: 'velocity'; velocity: Vec; until: number } | { kind: 'target'; target: Vec; speed: number };

export interface PtzState {
  model: PtzModel;
  /** The model's clock (same function), for continuous-move deadlines. */
  clock: () => number;
  home: Vec;
  last?: LastMotion;
  /** Called after anything that may start motion, so the picture follows. */
  moved(): void;
}

export const DEFAULT_TIMEOUT_MS = 5_000;
export const MAX_TIMEOUT_MS = 60_000;
const DELTA = { panTilt: [-1, 1] as [number, number], zoom: [-1, 1] as [number, number] };

type Op = (s: PtzState, body: XmlNode) => string;

export const moveOps: Record<string, Op> = {
  ContinuousMove(s, body) {
    readProfile(body);
    const v = readVector(body, 'Velocity', 'InvalidVelocity', DELTA) ?? {};
    const ms = readTimeout(body, DEFAULT_TIMEOUT_MS, MAX_TIMEOUT_MS);
    const velocity = { pan: v.pan ?? 0, tilt: v.tilt ?? 0, zoom: v.zoom ?? 0 };
    s.model.continuous(velocity, ms);
    s.last = { kind: 'velocity', velocity, until: s.clock() + ms };
    s.moved();
    return '<tptz:ContinuousMoveResponse/>';
  },
  AbsoluteMove(s, body) {
    readProfile(body);
    // Outside the unit's limits: ter:InvalidPosition, as the spec's AbsoluteMove faults say ("out of bounds").
    const l = s.model.limits();
    const p = readVector(body, 'Position', 'InvalidPosition', { pan: l.pan, tilt: l.tilt, zoom: l.zoom }) ?? {};
    const speed = readSpeed(body, p.pan !== undefined || p.tilt !== undefined);
    const now = s.model.position();
    // An axis left out of the request stays where it is.
    goTo(s, { pan: p.pan ?? now.pan, tilt: p.tilt ?? now.tilt, zoom: p.zoom ?? now.zoom }, speed);
    s.moved();
    return '<tptz:AbsoluteMoveResponse/>';
  },
  RelativeMove(s, body) {
    readProfile(body);
    const d = readVector(body, 'Translation', 'InvalidTranslation', DELTA) ?? {};
    const speed = readSpeed(body, Boolean(d.pan || d.tilt));
    const now = s.model.position();
    goTo(s, { pan: now.pan + (d.pan ?? 0), tilt: now.tilt + (d.tilt ?? 0), zoom: now.zoom + (d.zoom ?? 0) }, speed);
    s.moved();
    return '<tptz:RelativeMoveResponse/>';
  },
  Stop(s, body) {
    readProfile(body);
    stopAxes(s, readFlag(body, 'PanTilt'), readFlag(body, 'Zoom'));
    s.moved();
    return '<tptz:StopResponse/>';
  },
  GotoHomePosition(s, body) {
    readProfile(body);
    goTo(s, s.home, readSpeed(body, true));
    s.moved();
    return '<tptz:GotoHomePositionResponse/>';
  },
  SetHomePosition(s, body) {
    readProfile(body);
    s.home = s.model.position();
    return '<tptz:SetHomePositionResponse/>';
  },
};

/** Every target move goes through here so a later partial Stop knows the goal. */
export function goTo(s: PtzState, target: Vec, speed: number): void {
  s.model.moveTo(target, speed);
  s.last = { kind: 'target', target: s.model.clamp(target), speed };
}

/** Calling a function slot: scans pan until stopped (or the pan stop), origin/flip move, the rest (OSD, day mode…) moves nothing. */
export function runSpecial(s: PtzState, action: SpecialAction): void {
  const now = s.model.position();
  if (action === 'scan') {
    s.model.continuous({ pan: 0.25, tilt: 0, zoom: 0 });
    s.last = { kind: 'velocity', velocity: { pan: 0.25, tilt: 0, zoom: 0 }, until: Infinity };
  } else if (action === 'stop') stopAxes(s, true, true);
  else if (action === 'origin') goTo(s, { pan: 0, tilt: 0, zoom: now.zoom }, 1);
  else if (action === 'flip') goTo(s, { ...now, pan: now.pan > 0 ? now.pan - 1 : now.pan + 1 }, 1); // 180° = 1 generic unit of 2
}

/** ONVIF Stop: both flags absent means stop everything; otherwise only the flagged groups. */
function stopAxes(s: PtzState, panTilt: boolean, zoom: boolean): void {
  if (!panTilt && !zoom) return;
  s.model.stop({ panTilt, zoom });
  if (panTilt && zoom) s.last = undefined;
}

export const initialHome = (): Vec => ({ ...HOME });
