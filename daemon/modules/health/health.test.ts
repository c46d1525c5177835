import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { HealthReply } from '../../../common/contracts/daemon-api/health.js';
import { silentLogger } from '../../../common/log.js';
import { validateConfig } from '../../config/load-config.js';
import { SimDsp } from '../../drivers/dsp/sim-dsp.js';
import { SimPtz } from '../../drivers/ptz/sim-ptz.js';
import { assembleDevices } from '../devices/create-devices.js';
import { createEventBus } from '../events/event-bus.js';
import { createHealth } from './create-health.js';

// The room's health from its parts: the reply of GET /api/v1/health and what the fleet report compacts.

const config = validateConfig({});
const cam = new SimPtz({ id: 'cam1', timeoutMs: 1500 });
const devices = assembleDevices(
  [{ config: config.cameras[0]!, driver: cam }],
  new SimDsp({ channels: [], meterRateMs: 100 }),
  [],
  createEventBus(),
  silentLogger(),
);
const online = { state: 'online' as const, since: '2026-01-01T00:00:00.000Z', reconnects: 0 };
const uploader = (alarms: { source: 'uploader'; code: string; message: string; active: boolean }[] = []) => ({
  summary: () => ({
    state: 'idle' as const,
    backlogFiles: 0,
    backlogBytes: 0,
    refusedFiles: 0,
    refusedBytes: 0,
    refused: [],
    oldestAgeS: 0,
    hubUrl: '',
    forwardedFiles: 0,
    bytesSent: 0,
    alarms,
  }),
});

describe('health module', () => {
  it("is ok when every part is, and the reply holds to the kiosk's contract", async () => {
    await devices.start();
    const health = createHealth({
      devices,
      room: { id: 'r1', name: 'Phòng 1' },
      version: 'v',
      startedAt: Date.now() - 5000,
      media: { health: () => online, status: () => ({ source: 'primary', restarts: 0 }) },
      uploader: uploader(),
    });
    await health.start();
    expect(health.health().state).toBe('online');
    const h = health.snapshot();
    expect(Value.Check(HealthReply, h)).toBe(true);
    expect(h).toMatchObject({
      status: 'ok',
      room: { id: 'r1' },
      devices: [
        { id: 'cam1', kind: 'camera' },
        { id: 'audio', kind: 'audio' },
      ],
      media: { source: 'primary' },
    });
    expect(h.uptimeS).toBeGreaterThanOrEqual(5);
    expect(h).not.toHaveProperty('fleet');
    await health.stop();
    expect(health.health().state).toBe('stopped');
    await devices.stop();
  });

  it('is degraded by a device offline, a recording alarm, an uploader alarm; the gateway and the fleet report are shown, not counted', async () => {
    await devices.start();
    const recording = {
      state: 'recording' as const,
      hearing: 'h1.r1',
      dir: '/x',
      segments: 3,
      bytes: 10,
      durationMs: 6000,
      gaps: 0,
      lastSegment: null,
      alarm: null as null | { reason: string; message: string; since: string },
    };
    let fleet: { summary(): { state: 'failing'; since: string; recordingAlarmReportedAt: null } } | undefined;
    const health = createHealth({
      devices,
      room: { id: 'r1', name: 'R' },
      version: 'v',
      recorder: { status: () => recording },
      gateway: { summary: () => ({ state: 'down' as const, since: '' }) },
      fleet: () => fleet,
    });
    expect(health.snapshot()).toMatchObject({ status: 'ok', gateway: { state: 'down' } });
    fleet = { summary: () => ({ state: 'failing', since: '', recordingAlarmReportedAt: null }) }; // built after the health module
    expect(health.snapshot()).toMatchObject({ status: 'ok', fleet: { state: 'failing' } });
    recording.alarm = { reason: 'disk-full', message: 'No space left on device', since: '' };
    expect(health.snapshot().status).toBe('degraded');
    recording.alarm = null;
    const withAlarm = createHealth({
      devices,
      room: { id: 'r1', name: 'R' },
      version: 'v',
      uploader: uploader([{ source: 'uploader', code: 'UPLOAD_REFUSED', message: 'x', active: true }]),
    });
    expect(withAlarm.snapshot().status).toBe('degraded');
    cam.setOffline(true);
    expect(health.snapshot()).toMatchObject({
      status: 'degraded',
      devices: [{ id: 'cam1', health: { state: 'offline', lastError: 'simulated outage' } }, { id: 'audio' }],
    });
    cam.setOffline(false);
    await devices.stop();
  });

  it('a DSP meter the unit refused (wrong tag) makes the room degraded and is named; audio-follow is shown, not counted', async () => {
    const meters = [
      { channel: 'mic', tag: 'Meter1', index: 1, state: 'ok' as const, lastAt: 1 },
      { channel: 'officer', tag: 'Meter9', index: 2, state: 'failed' as const, error: '-ERR address not found' },
    ];
    const follow = { mode: 'auto', health: { ...online, state: 'offline' as const, lastError: 'no live meter' } };
    await devices.start();
    const health = createHealth({
      devices: { cameras: devices.cameras, dsp: Object.assign(Object.create(devices.dsp), { meters: () => meters }) },
      room: { id: 'r1', name: 'R' },
      version: 'v',
      audioFollow: { state: () => follow },
    });
    const h = health.snapshot();
    expect(Value.Check(HealthReply, h)).toBe(true);
    expect(h).toMatchObject({
      status: 'degraded',
      meters: [
        { channel: 'mic', state: 'ok', lastAt: '1970-01-01T00:00:00.001Z' },
        { channel: 'officer', tag: 'Meter9', state: 'failed' },
      ],
    });
    expect(h.audioFollow).toEqual({ mode: 'auto', health: follow.health });
    meters[1]!.state = 'ok' as 'failed';
    expect(health.snapshot().status).toBe('ok');
    await devices.stop();
  });
});
