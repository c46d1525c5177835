import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promtoolProblems } from '../common/metrics/test/promtool.js';
import { OFFICER_TOKEN, startTestHub } from './test/hub-fixture.js';

// The hub's /metrics as Prometheus scrapes it: one prom-client registry with the process defaults,
// the event-loop window and every family hub/README.md and hub/fleet/README.md document.

const DOCUMENTED = {
  reception_hub_participants: 'gauge',
  reception_hub_hearings: 'gauge',
  reception_hub_received_packets_total: 'counter',
  reception_hub_received_bytes_total: 'counter',
  reception_hub_forwarded_packets_total: 'counter',
  reception_hub_forwarded_bytes_total: 'counter',
  reception_hub_keyframe_requests_total: 'counter',
  reception_hub_legs: 'gauge',
  reception_hub_event_loop_delay_seconds: 'gauge',
  reception_room_report_age_seconds: 'gauge',
  reception_room_recording_alarm: 'gauge',
  reception_room_kiosk_locked: 'gauge',
  reception_room_kiosk_lockouts: 'gauge',
  // Each room's health from its reports (hub/fleet/fleet-room-metrics.ts; values in fleet-room-metrics.test.ts)
  reception_room_up: 'gauge',
  reception_room_info: 'gauge',
  reception_room_clock_offset_seconds: 'gauge',
  reception_room_recording_seconds_left: 'gauge',
  reception_room_worker_restarts_total: 'counter',
  reception_room_device_up: 'gauge',
  reception_hub_signins_total: 'counter',
  reception_hub_sessions: 'gauge',
  process_cpu_seconds_total: 'counter',
  process_resident_memory_bytes: 'gauge',
  nodejs_eventloop_lag_p99_seconds: 'gauge',
};

describe('hub /metrics', () => {
  let hub: Awaited<ReturnType<typeof startTestHub>>;
  let text = '';
  beforeAll(async () => {
    hub = await startTestHub({ allowLoopbackOfficers: false });
    const res = await hub.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${OFFICER_TOKEN}` } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    text = res.body;
  });
  afterAll(() => hub?.stop());

  it('officers only', async () => {
    expect((await hub.app.inject({ url: '/metrics' })).statusCode).toBe(401);
  });

  it('every documented family with its type, the process defaults, and values', () => {
    for (const [name, type] of Object.entries(DOCUMENTED)) expect(text).toContain(`# TYPE ${name} ${type}`);
    expect(text).toContain('reception_hub_participants{kind="room"} 0');
    expect(text).toContain('reception_hub_hearings{state="active"} 0');
    expect(text).toMatch(/^reception_hub_legs 0$/m);
    expect(text).toMatch(/^reception_hub_event_loop_delay_seconds\{stat="p99"\} \d+(\.\d+)?$/m);
    expect(text).toMatch(/^reception_hub_event_loop_delay_seconds\{stat="max"\} \d+(\.\d+)?$/m);
  });

  it('passes promtool check metrics', () => {
    expect(promtoolProblems(text)).toEqual([]);
  });
});
