import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { EventLoopWatch } from '../process/event-loop-watch.js';

// Prometheus exposition through prom-client, one registry per process (created by the process's
// server, never at module scope): the default process metrics (CPU, memory, handles, GC, Node's own
// event-loop lag) plus the values a module reads from its state at scrape time.

export type MetricsRegistry = Registry;

export interface RegistryOptions {
  /** The process's 10 s event-loop window (common/process/event-loop-watch.ts), under this name. */
  eventLoop?: { name: string; watch: EventLoopWatch };
}

export function createMetricsRegistry(opts: RegistryOptions = {}): MetricsRegistry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const loop = opts.eventLoop;
  if (loop) {
    gaugeFrom(registry, loop.name, 'event-loop delay over the last 10 s (WebRTC consent checks fail past 0.5 s)', ['stat'], () => {
      const d = loop.watch.last();
      // A gauge pair, not a summary: the window is computed by perf_hooks, and promtool refuses a `quantile`
      // label outside the summary type.
      return [
        [{ stat: 'p99' }, d.p99Ms / 1000],
        [{ stat: 'max' }, d.maxMs / 1000],
      ];
    });
  }
  return registry;
}

/** One series: its labels and its value. */
export type Row<L extends string> = [labels: Partial<Record<L, string>>, value: number];

/** A gauge whose series are read from state at every scrape (series that are gone disappear). */
export function gaugeFrom<L extends string>(
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly L[],
  rows: () => Row<L>[],
): Gauge<L> {
  return new Gauge<L>({
    name,
    help,
    labelNames,
    registers: [registry],
    collect() {
      this.reset();
      for (const [labels, value] of rows()) this.set(labels, value);
    },
  });
}

/** A counter whose totals are kept elsewhere (packet counters of a connection) and read at every scrape. */
export function counterFrom<L extends string>(
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly L[],
  rows: () => Row<L>[],
): Counter<L> {
  return new Counter<L>({
    name,
    help,
    labelNames,
    registers: [registry],
    collect() {
      this.reset();
      for (const [labels, value] of rows()) this.inc(labels, value);
    },
  });
}
