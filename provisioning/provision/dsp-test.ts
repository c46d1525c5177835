import { setTimeout as delay } from 'node:timers/promises';
import { silentLogger } from '../../common/log.js';
import { TesiraDsp, type TesiraChannel } from '../../daemon/drivers/dsp/tesira-dsp.js';
import type { MeterReading } from '../../daemon/drivers/dsp/dsp-driver.js';

// Mute, level and meter through the daemon's own Tesira driver: each set is read back from the unit and the
// channel left as it was found; the meter is listened to for a few seconds and its trace kept for the report.

export interface DspFigures {
  mute: { ok: boolean; figure: string };
  level: { ok: boolean; figure: string };
  meter: { ok: boolean; figure: string; trace: { t: number; db: number }[] };
}

async function online(dsp: TesiraDsp, ceilingMs = 15_000) {
  const t0 = Date.now();
  while (dsp.health().state !== 'online' && Date.now() - t0 < ceilingMs) await delay(100);
  if (dsp.health().state !== 'online')
    throw new Error(`DSP not online after ${ceilingMs} ms: ${dsp.health().lastError ?? dsp.health().state}`);
}

export async function testDsp(opts: {
  path: string;
  baudRate: number;
  channel: TesiraChannel;
  levelDb: number;
  meterSeconds: number;
}): Promise<DspFigures> {
  const dsp = new TesiraDsp({
    path: opts.path,
    baudRate: opts.baudRate,
    channels: [opts.channel],
    meterRateMs: 100,
    timeoutMs: 1500,
    logger: silentLogger(),
  });
  const id = opts.channel.id;
  const trace: { t: number; db: number }[] = [];
  let t0 = 0;
  const onMeter = (m: MeterReading) => {
    if (m.channel === id && t0) trace.push({ t: Math.round(m.at - t0), db: Math.round(m.db * 10) / 10 });
  };
  dsp.events.on('meter', onMeter);
  await dsp.start();
  try {
    await online(dsp);
    const wasMuted = await dsp.getMute(id);
    await dsp.setMute(id, !wasMuted);
    const flipped = await dsp.getMute(id);
    await dsp.setMute(id, wasMuted);
    const back = await dsp.getMute(id);
    const mute = {
      ok: flipped === !wasMuted && back === wasMuted,
      figure: `${wasMuted ? 'muted' : 'unmuted'} → ${flipped ? 'muted' : 'unmuted'} → ${back ? 'muted' : 'unmuted'} (read back)`,
    };
    const was = await dsp.getLevel(id);
    await dsp.setLevel(id, opts.levelDb);
    const read = await dsp.getLevel(id);
    await dsp.setLevel(id, was);
    const level = { ok: Math.abs(read - opts.levelDb) < 0.05, figure: `set ${opts.levelDb} dB, read back ${read} dB, restored ${was} dB` };
    t0 = Date.now();
    await delay(opts.meterSeconds * 1000);
    const dbs = trace.map((p) => p.db);
    const swing = dbs.length ? Math.max(...dbs) - Math.min(...dbs) : 0;
    const meter = {
      ok: dbs.length >= 3 && swing >= 3,
      figure: dbs.length
        ? `${dbs.length} readings in ${opts.meterSeconds} s, ${Math.min(...dbs)} … ${Math.max(...dbs)} dB (moved ${swing.toFixed(1)} dB)`
        : `no reading in ${opts.meterSeconds} s`,
      trace,
    };
    return { mute, level, meter };
  } finally {
    dsp.events.off('meter', onMeter);
    await dsp.stop();
  }
}
