import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../../hub/test/hub-fixture.js';
import { startRecordingAlarmRig } from './test/recording-alarm-rig.js';

// Disk full mid-hearing, as the room's users see it: the kiosk's API (GET /api/v1/health, what the
// page polls) says the recording fails and whether the hub has been told; the hub's fleet state and
// /metrics carry the alarm, sent on the alarm event (the report period is 60 s), and the clearing too.

describe('recording alarm → kiosk API and hub', () => {
  let rig: Awaited<ReturnType<typeof startRecordingAlarmRig>>;
  beforeAll(async () => void (rig = await startRecordingAlarmRig()), 30_000);
  afterAll(() => rig?.stop());

  it('disk full: the kiosk API shows it, the hub hears it at once; space again: both clear', { timeout: 40_000 }, async () => {
    await waitFor(() => rig.fleet.summary().lastReportAt, 10_000, 'the first report');
    const first = rig.fleet.summary().lastReportAt;
    expect((await rig.hubRoom())?.health?.recording).toMatchObject({ alarm: null });
    expect(await rig.metrics()).toContain('reception_room_recording_alarm{room="room-demo",reason="disk-full"} 0');

    const t0 = performance.now();
    rig.diskFull();
    const h = await rig.health();
    expect(h.status).toBe('degraded');
    expect(h.recording).toMatchObject({
      state: 'recording',
      alarm: { reason: 'disk-full', message: expect.stringContaining('No space left on device'), since: expect.any(String) },
    });

    // Sent on the alarm, not on the 60 s timer: it arrives long before the next period.
    const room = await waitFor(
      async () => ((await rig.hubRoom())?.health?.recording?.alarm ? rig.hubRoom() : null),
      20_000,
      'the alarm at the hub',
    );
    console.log(`recording alarm: at the hub ${Math.round(performance.now() - t0)} ms after the worker's error (report period 60 s)`);
    expect(room?.health?.recording).toMatchObject({
      state: 'recording',
      alarm: { reason: 'disk-full', since: h.recording.alarm.since, message: expect.stringContaining('No space left on device') },
    });
    expect(rig.fleet.summary().lastReportAt).not.toBe(first);
    const metrics = await rig.metrics();
    expect(metrics).toContain('reception_room_recording_alarm{room="room-demo",reason="disk-full"} 1');
    expect(metrics).toContain('reception_room_recording_alarm{room="room-demo",reason="write-error"} 0');
    // The kiosk may now say that the central point has been told.
    const told = await waitFor(
      async () => ((await rig.health()).fleet?.recordingAlarmReportedAt ? rig.health() : null),
      10_000,
      'the kiosk API to say the hub knows',
    );
    expect(Date.parse(told.fleet.recordingAlarmReportedAt)).toBeGreaterThanOrEqual(Date.parse(h.recording.alarm.since));

    // The pipeline's retry fails again: the same alarm (since unchanged), still told.
    rig.diskFull();
    expect((await rig.health()).recording.alarm.since).toBe(h.recording.alarm.since);
    expect((await rig.health()).fleet.recordingAlarmReportedAt).toBe(told.fleet.recordingAlarmReportedAt);

    rig.segmentClosed();
    await waitFor(async () => (await rig.health()).recording.alarm === null, 10_000, 'the alarm to clear at the room');
    await waitFor(async () => (await rig.hubRoom())?.health?.recording?.alarm === null, 20_000, 'the alarm to clear at the hub');
    expect(await rig.metrics()).toContain('reception_room_recording_alarm{room="room-demo",reason="disk-full"} 0');
    expect((await rig.health()).fleet).toMatchObject({ state: 'reporting', recordingAlarmReportedAt: null });
  });
});
