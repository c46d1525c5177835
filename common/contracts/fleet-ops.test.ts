import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { ReportAnswer, RoomReport } from './fleet.js';
import { FleetOp, OpResult, opBundlePath } from './fleet-ops.js';
import { bareReport } from './test/samples.js';

// The remote-operations contract both sides import: what a room accepts in the report's answer and what
// it may send back; older rooms and hubs (without the optional fields) still fit.

const id = 'op-mx7abc-0123abcd';

describe('fleet-ops contract', () => {
  it('takes each kind with its own fields and nothing else', () => {
    expect(Value.Check(FleetOp, { id, kind: 'config', mode: 'merge', config: { kiosk: { sessionMinutes: 15 } } })).toBe(true);
    expect(Value.Check(FleetOp, { id, kind: 'diagnostics', uploadPath: opBundlePath('room-demo', id) })).toBe(true);
    expect(Value.Check(FleetOp, { id, kind: 'restart' })).toBe(true);
    expect(Value.Check(FleetOp, { id, kind: 'selftest', seconds: 30 })).toBe(true);
    expect(Value.Check(FleetOp, { id, kind: 'selftest', seconds: 1 })).toBe(false);
    expect(Value.Check(FleetOp, { id, kind: 'restart', config: {} })).toBe(false);
    expect(Value.Check(FleetOp, { id, kind: 'update' })).toBe(false);
    expect(Value.Check(FleetOp, { id: 'x', kind: 'restart' })).toBe(false);
    expect(opBundlePath('room-demo', id)).toBe(`/api/v1/fleet/rooms/room-demo/ops/${id}/bundle`);
  });

  it('results: applied, rolled-back or failed, with a bounded reason', () => {
    const at = new Date().toISOString();
    expect(Value.Check(OpResult, { id, state: 'rolled-back', reason: 'media offline', at })).toBe(true);
    expect(Value.Check(OpResult, { id, state: 'handed-over', at })).toBe(false); // the hub's state, not the room's
    expect(Value.Check(OpResult, { id, state: 'failed', reason: 'x'.repeat(1001), at })).toBe(false);
  });

  it('the report and its answer carry them as optional fields: older rooms and hubs still fit', () => {
    expect(Value.Check(ReportAnswer, { book: [] })).toBe(true);
    expect(Value.Check(ReportAnswer, { book: [], ops: [{ id, kind: 'restart' }] })).toBe(true);
    const report = bareReport();
    expect(Value.Check(RoomReport, report)).toBe(true);
    expect(Value.Check(RoomReport, { ...report, opResults: [{ id, state: 'applied', at: 'now' }] })).toBe(true);
  });
});
