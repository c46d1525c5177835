import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { ARCHIVE_ERROR_CODES, ArchiveKey, Receipt, UploadHeaders, archiveErrorCode } from './archive.js';
import { HealthReply } from './daemon-api/health.js';
import { CameraSummary, Channel, CurrentHearing, GatewayReply, KioskInfo, KioskUnlocked, Preset } from './daemon-api/room.js';
import { ReportAnswer, RoomReport, fleetReportPath } from './fleet.js';
import { GatewayStatus } from './gateway-state.js';
import { fillRoute } from './route.js';
import { ClientMessage, HubMessage } from './signaling/messages.js';
import * as s from './test/samples.js';

// Every message that crosses a process boundary survives JSON and checks against its one schema; one
// broken sample per schema is refused, at the field that is wrong.

/** [name, schema, a valid sample, a broken copy of it, the path Value.Errors must name]. */
type Case = [string, TSchema, unknown, (v: any) => unknown, string];
const cases: Case[] = [
  ...s.clientMessages.map((m): Case => [`signaling ClientMessage ${m.type}`, ClientMessage, m, (v) => ({ ...v, type: 'shout' }), '']), // a union: refused as a whole
  ...s.hubMessages.map((m): Case => [`signaling HubMessage ${m.type}`, HubMessage, m, (v) => ({ ...v, type: 42 }), '']),
  ['fleet RoomReport', RoomReport, s.roomReport, (v) => ({ ...v, reportSeconds: 0 }), '/reportSeconds'],
  ['fleet ReportAnswer', ReportAnswer, s.reportAnswer, (v) => ({ book: [{ ...v.book[0], version: 'two' }] }), '/book/0/version'],
  ['archive Receipt', Receipt, s.receipt(), (v) => ({ ...v, v: 2 }), '/v'],
  ['archive UploadHeaders', UploadHeaders, s.uploadHeaders, (v) => ({ ...v, 'upload-sha256': 'not hex' }), '/upload-sha256'],
  ['archive ArchiveKey', ArchiveKey, s.archiveKey, (v) => ({ ...v, alg: 'RSA' }), '/alg'],
  ['gateway GatewayStatus', GatewayStatus, s.gatewayStatus, (v) => ({ ...v, state: 'down' }), '/state'],
  ['daemon HealthReply', HealthReply, s.healthReply, (v) => ({ ...v, recording: { ...v.recording, state: 'paused' } }), '/recording/state'],
  ['daemon CurrentHearing', CurrentHearing, s.currentHearing, (v) => ({ hearing: { ...v.hearing, source: 'elsewhere' } }), '/hearing'],
  ['daemon KioskInfo', KioskInfo, s.kioskInfo, (v) => ({ ...v, pinConfigured: 'yes' }), '/pinConfigured'],
  ['daemon KioskUnlocked', KioskUnlocked, s.kioskUnlocked, (v) => ({ ...v, role: 'technician' }), '/role'],
  ['daemon CameraSummary', CameraSummary, s.camera, (v) => ({ ...v, health: { ...v.health, state: 'asleep' } }), '/health/state'],
  ['daemon Preset', Preset, s.preset, ({ token: _, ...v }) => v, '/token'],
  ['daemon Channel', Channel, s.channel, (v) => ({ ...v, muted: 'no' }), '/muted'],
  ['daemon GatewayReply', GatewayReply, s.gatewayReply, (v) => ({ ...v, detail: { ...v.detail, counters: undefined } }), '/detail'],
];

describe('contracts: a sample of each message round-trips through its schema', () => {
  it.each(cases)('%s', (_name, schema, sample, breakIt, path) => {
    const wire = JSON.parse(JSON.stringify(sample));
    expect([...Value.Errors(schema, wire)].map((e) => `${e.path}: ${e.message}`)).toEqual([]);
    expect(Value.Check(schema, wire)).toBe(true);
    expect(wire).toEqual(sample);

    const bad = JSON.parse(JSON.stringify(breakIt(structuredClone(sample))));
    expect(Value.Check(schema, bad)).toBe(false);
    expect([...Value.Errors(schema, bad)].map((e) => e.path)).toContain(path);
  });
});

describe('contracts: paths and codes', () => {
  it('fills route parameters URL-encoded and refuses a missing one', () => {
    expect(fillRoute('/hearings/:h/files/:name', { h: 'h 1/x', name: 'seg-00001.ts' })).toBe('/hearings/h%201%2Fx/files/seg-00001.ts');
    expect(fleetReportPath('room-1')).toBe('/api/v1/fleet/rooms/room-1/report');
    expect(() => fillRoute('/hearings/:h', {} as { h: string })).toThrow(':h');
  });

  it('knows its own error codes, and nothing else', () => {
    for (const code of ARCHIVE_ERROR_CODES) expect(archiveErrorCode(code)).toBe(code);
    expect(archiveErrorCode('SOMETHING_NEW')).toBeUndefined();
  });
});
