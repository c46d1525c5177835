import { describe, expect, it } from 'vitest';
import { counterFrom, createMetricsRegistry, gaugeFrom, type Row } from './registry.js';
import { promtoolProblems } from './test/promtool.js';

const watch = { last: () => ({ p99Ms: 12.5, maxMs: 480 }), stop() {} };

describe('metrics registry (prom-client)', () => {
  it('has the process defaults and the event-loop window under the name it is given', async () => {
    const r = createMetricsRegistry({ eventLoop: { name: 'reception_hub_event_loop_delay_seconds', watch } });
    const text = await r.metrics();
    for (const name of [
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_p99_seconds',
      'nodejs_heap_size_used_bytes',
    ]) {
      expect(text).toMatch(new RegExp(`^# TYPE ${name} `, 'm'));
    }
    expect(text).toContain('# TYPE reception_hub_event_loop_delay_seconds gauge');
    expect(text).toContain('reception_hub_event_loop_delay_seconds{stat="p99"} 0.0125');
    expect(text).toContain('reception_hub_event_loop_delay_seconds{stat="max"} 0.48');
    expect(r.contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
  });

  it('reads series from state at each scrape; gone series disappear; label values are escaped', async () => {
    const r = createMetricsRegistry();
    let rows: Row<'room' | 'reason'>[] = [
      [{ room: 'a"b\\c\nd', reason: 'disk-full' }, 1],
      [{ room: 'room-2', reason: 'disk-full' }, 0],
    ];
    gaugeFrom(r, 'test_alarm', 'an alarm', ['room', 'reason'], () => rows);
    let total = 5;
    counterFrom(r, 'test_packets_total', 'packets', ['kind'], () => [[{ kind: 'video' }, total]]);
    gaugeFrom(r, 'test_legs', 'legs', [], () => [[{}, 2]]);
    let text = await r.metrics();
    expect(text).toContain('test_alarm{room="a\\"b\\\\c\\nd",reason="disk-full"} 1');
    expect(text).toContain('test_alarm{room="room-2",reason="disk-full"} 0');
    expect(text).toContain('# TYPE test_packets_total counter');
    expect(text).toContain('test_packets_total{kind="video"} 5');
    expect(text).toMatch(/^test_legs 2$/m);
    rows = [];
    total = 9;
    text = await r.metrics();
    expect(text).not.toContain('test_alarm{');
    expect(text).toContain('test_packets_total{kind="video"} 9'); // the total as kept by its owner, not 5 + 9
  });

  it('one registry per process, not a global one: two registries do not share series', async () => {
    const a = createMetricsRegistry();
    const b = createMetricsRegistry();
    gaugeFrom(a, 'only_in_a', 'a', [], () => [[{}, 1]]);
    expect(await a.metrics()).toContain('only_in_a 1');
    expect(await b.metrics()).not.toContain('only_in_a');
  });

  it('promtool check metrics accepts the exposition', async () => {
    const r = createMetricsRegistry({ eventLoop: { name: 'reception_hub_event_loop_delay_seconds', watch } });
    gaugeFrom(r, 'reception_room_recording_alarm', '1 while the room reports that its recording fails', ['room', 'reason'], () => [
      [{ room: 'a"b\\c\nd', reason: 'disk-full' }, 1],
    ]);
    counterFrom(r, 'reception_hub_received_packets_total', 'RTP packets received', ['participant', 'kind'], () => [
      [{ participant: 'room-demo', kind: 'video' }, 42],
    ]);
    expect(promtoolProblems(await r.metrics())).toEqual([]);
  });
});
