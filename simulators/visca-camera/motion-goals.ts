import type { PtzModel } from '../ptz-model/ptz-model.js';

// VISCA drives pan-tilt and zoom with separate commands (a zoom command must not stop a pan),
// while PtzModel runs one motion for all three axes. This keeps one goal per group and rebuilds
// the model's motion from both whenever either changes.

export const GROUPS = ['panTilt', 'zoom'] as const;
export type Group = (typeof GROUPS)[number];

export type PanTiltGoal = { kind: 'target'; pan: number; tilt: number; speed: number } | { kind: 'velocity'; pan: number; tilt: number };
export type ZoomGoal = { kind: 'target'; zoom: number } | { kind: 'velocity'; zoom: number };

const toward = (v: number, current: number, lo: number) => (v > 0 ? 1 : v < 0 ? lo : current);

export class MotionGoals {
  private panTilt?: PanTiltGoal;
  private zoom?: ZoomGoal;

  constructor(private readonly model: PtzModel) {}

  set(group: 'panTilt', goal: PanTiltGoal | undefined): void;
  set(group: 'zoom', goal: ZoomGoal | undefined): void;
  set(group: Group, goal: PanTiltGoal | ZoomGoal | undefined): void {
    if (group === 'panTilt') this.panTilt = goal as PanTiltGoal | undefined;
    else this.zoom = goal as ZoomGoal | undefined;
    this.apply();
  }

  clear(...groups: Group[]): void {
    if (groups.includes('panTilt')) this.panTilt = undefined;
    if (groups.includes('zoom')) this.zoom = undefined;
    this.apply();
  }

  /** Forget target goals the model has reached, so a later zoom command does not restart them. */
  settle(): { panTilt: boolean; zoom: boolean } {
    const moving = this.model.moving();
    if (!moving.panTilt && this.panTilt?.kind === 'target') this.panTilt = undefined;
    if (!moving.zoom && this.zoom?.kind === 'target') this.zoom = undefined;
    return moving;
  }

  private apply(): void {
    const pt = this.panTilt;
    const z = this.zoom;
    if (!pt && !z) return this.model.stop();
    if (pt?.kind !== 'target' && z?.kind !== 'target') {
      this.model.continuous({ pan: pt?.pan ?? 0, tilt: pt?.tilt ?? 0, zoom: z?.zoom ?? 0 });
      return;
    }
    // At least one target: a velocity goal on the other group becomes a drive toward its end stop
    // (the model has one speed for all axes, so mixed moves are an approximation).
    const p = this.model.position();
    this.model.moveTo(
      {
        pan: pt?.kind === 'target' ? pt.pan : toward(pt?.pan ?? 0, p.pan, -1),
        tilt: pt?.kind === 'target' ? pt.tilt : toward(pt?.tilt ?? 0, p.tilt, -1),
        zoom: z?.kind === 'target' ? z.zoom : toward(z?.zoom ?? 0, p.zoom, 0),
      },
      pt?.kind === 'target' ? pt.speed : pt ? Math.max(Math.abs(pt.pan), Math.abs(pt.tilt), 0.01) : 1,
    );
  }
}
