// bench/sfu-compare.ts's verdict: per plane, legs per core at the largest configuration whose loss stayed
// under the ceiling with every leg flowing; and, per configuration, Janus's CPU per leg against the hub's.

interface Row {
  plane: 'hub' | 'janus';
  publishers: number;
  subscribersPerPublisher: number;
  legsWanted?: number;
  legsFlowing?: number;
  lossPercent?: number;
  legsPerCore?: number;
  sfuCpuPerLegAtNominalPercent?: number;
  error?: string;
}

export function summarise(rows: unknown[], ceilingPercent: number) {
  const ok = (rows as Row[]).filter((r) => !r.error && r.legsFlowing === r.legsWanted && (r.lossPercent ?? Infinity) <= ceilingPercent);
  const atCeiling = (plane: Row['plane']) => {
    const best = ok.filter((r) => r.plane === plane).sort((a, b) => (b.legsWanted ?? 0) - (a.legsWanted ?? 0))[0];
    return best
      ? { config: `${best.publishers}x${best.subscribersPerPublisher}`, legs: best.legsWanted, legsPerCore: best.legsPerCore }
      : null;
  };
  const byConfig = new Map<string, Partial<Record<Row['plane'], Row>>>();
  for (const r of rows as Row[]) {
    const k = `${r.publishers}x${r.subscribersPerPublisher}`;
    byConfig.set(k, { ...byConfig.get(k), [r.plane]: r });
  }
  const janusOverHub = [...byConfig].map(([config, { hub, janus }]) => ({
    config,
    cpuPerLegRatio:
      hub?.sfuCpuPerLegAtNominalPercent && janus?.sfuCpuPerLegAtNominalPercent
        ? Number((janus.sfuCpuPerLegAtNominalPercent / hub.sfuCpuPerLegAtNominalPercent).toFixed(2))
        : null,
  }));
  const hub = atCeiling('hub');
  const janus = atCeiling('janus');
  return {
    hub,
    janus,
    janusOverHub,
    legsPerCoreRatio: hub?.legsPerCore && janus?.legsPerCore ? Number((janus.legsPerCore / hub.legsPerCore).toFixed(2)) : null,
  };
}
