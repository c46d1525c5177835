import { SerialPort } from 'serialport';
import { parse } from './asker.js';
import type { Step } from './context.js';
import { probeTesira, type Probe } from './dsp-probe.js';
import { testDsp } from './dsp-test.js';
import { check } from './progress.js';

// The audio DSP: every serial port udev lists (and any the technician names) is tried until one answers TTP;
// then mute and level are set and read back, and the meter listened to while someone speaks. The config gets
// audio.driver "tesira" on the port found.

export const dspStep: Step = {
  name: 'dsp',
  vi: 'Bộ xử lý âm thanh',
  en: 'Audio DSP',
  async run(ctx) {
    const config = await ctx.readConfig();
    const extra = await ctx.ask.ask({
      key: 'dsp.ports',
      vi: 'Thêm cổng nối tiếp để thử (trống: chỉ các cổng udev liệt kê)',
      en: 'More serial ports to try (empty: those udev lists)',
      default: [] as string[],
      parse: parse.list,
    });
    const listed = (await SerialPort.list().catch(() => [])).map((p) => p.path);
    const candidates = [...new Set([...extra, ...listed])];
    const baudRate = config.audio.baudRate;
    const tried: Probe[] = [];
    let found: Probe | undefined;
    for (const path of candidates) {
      const p = await probeTesira(path, baudRate);
      tried.push(p);
      ctx.ask.say(`Cổng ${path}: ${p.figure}`, `port ${path}: ${p.figure}`);
      if (p.tesira) {
        found = p;
        break;
      }
    }
    const checks = [
      check(
        'dsp',
        'Tìm Tesira trên cổng nối tiếp / Tesira on a serial port',
        !!found,
        tried.map((p) => `${p.path}: ${p.figure}`).join('; ') || 'no serial port to try',
      ),
    ];
    if (!found) return { checks, data: { tried } };
    const channelId = await ctx.ask.ask({
      key: 'dsp.channel',
      vi: 'Kênh để thử',
      en: 'Channel to test',
      default: config.audio.channels[0]?.id ?? 'mic',
    });
    const channel = config.audio.channels.find((c) => c.id === channelId);
    if (!channel)
      throw new Error(`dsp.channel "${channelId}" is not one of audio.channels (${config.audio.channels.map((c) => c.id).join(', ')})`);
    const levelDb = await ctx.ask.ask({
      key: 'dsp.testLevelDb',
      vi: 'Mức thử (dB)',
      en: 'Test level (dB)',
      default: -6,
      parse: parse.number(-100, 12),
    });
    const meterSeconds = await ctx.ask.ask({
      key: 'dsp.meterSeconds',
      vi: 'Nghe đồng hồ mức (giây)',
      en: 'Listen to the meter (seconds)',
      default: 5,
      parse: parse.number(1, 60),
    });
    ctx.ask.say('Hãy nói vào micro trong lúc đo', 'speak into the microphone while the meter is read');
    const f = await testDsp({ path: found.path, baudRate, channel, levelDb, meterSeconds }).catch((e: Error) => e);
    if (f instanceof Error) {
      checks.push(check('dsp', 'Điều khiển DSP / DSP control', false, f.message));
      return { checks, data: { tried, path: found.path } };
    }
    checks.push(check('dsp', `Tắt tiếng ${channel.id} / mute ${channel.id}`, f.mute.ok, f.mute.figure));
    checks.push(check('dsp', `Mức ${channel.id} / level ${channel.id}`, f.level.ok, f.level.figure));
    checks.push(check('dsp', `Đồng hồ mức ${channel.id} / meter ${channel.id}`, f.meter.ok, f.meter.figure));
    await ctx.editConfig((c) => {
      c.audio.driver = 'tesira';
      c.audio.path = found.path;
    });
    return { checks, data: { tried, path: found.path, channel: channel.id, meterTrace: f.meter.trace } };
  },
};
