import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { SerialPort } from 'serialport';
import type { HostSample } from '../../common/contracts/host.js';
import { silentLogger } from '../../common/log.js';
import { loadConfig } from '../../daemon/config/load-config.js';
import { createHostHealth } from '../../daemon/modules/host-health/create-host-health.js';
import type { Step } from './context.js';
import { parse } from './asker.js';
import { check } from './progress.js';

// The box itself, as the daemon's host-health module sees it (systeminformation on its worker thread):
// interfaces, disks holding the recordings and state, CPU, memory, temperatures; plus the serial ports
// (serialport's list, from udev) and the sound cards the kernel knows (/proc/asound/cards).

/** Default least free space on the recordings disk: about 90 hearing-hours at 1.5 Mbit/s. */
const MIN_FREE_MB = 60_000;

/** "/proc/asound/cards" → one name per card (" 0 [PCH ]: HDA-Intel - HDA Intel PCH"). */
export function soundCards(text: string): string[] {
  return text.split('\n').flatMap((l) => {
    const m = /^\s*(\d+)\s+\[([^\]]+)\]:\s*(.+)$/.exec(l);
    return m ? [`${m[1]}: ${m[2]!.trim()} — ${m[3]!.trim()}`] : [];
  });
}

async function sampleHost(paths: Record<string, string>): Promise<HostSample | null> {
  const host = createHostHealth({ paths, intervalMs: 2000, logger: silentLogger() });
  await host.start();
  try {
    for (let i = 0; i < 60 && !host.summary(); i++) await delay(250); // the thread's first sample, ~1 s
    return host.summary();
  } finally {
    await host.stop();
  }
}

export const boxStep: Step = {
  name: 'box',
  vi: 'Thiết bị',
  en: 'The box',
  async run(ctx) {
    const config = await loadConfig(ctx.configFile); // the paths as the daemon resolves them (env overrides)
    const minFreeMb = await ctx.ask.ask({
      key: 'box.minFreeMb',
      vi: 'Dung lượng trống tối thiểu (MB)',
      en: 'Least free space for recordings (MB)',
      default: MIN_FREE_MB,
      parse: parse.number(100, 10_000_000),
    });
    const paths = { recordings: resolve(config.paths.recordings), state: resolve(config.paths.state) };
    const host = await sampleHost(paths);
    const ports = await SerialPort.list().catch(() => []);
    const cards = soundCards(await readFile('/proc/asound/cards', 'utf8').catch(() => ''));
    const checks = [];
    if (!host) checks.push(check('box', 'Đọc thông tin máy / host reading', false, 'systeminformation gave no sample in 15 s'));
    else {
      const up = host.net.filter((n) => n.up);
      checks.push(
        check(
          'box',
          'Mạng / network interfaces',
          up.length > 0,
          host.net
            .map((n) => `${n.iface} ${n.state}${n.speedMbps ? ` ${n.speedMbps} Mbit/s` : ''}${n.default ? ' (default)' : ''}`)
            .join(', ') || 'none',
        ),
      );
      const rec = host.disks.find((d) => d.holds.includes('recordings'));
      checks.push(
        check(
          'box',
          'Dung lượng trống cho ghi hình / free space for recordings',
          !!rec && rec.freeMb >= minFreeMb,
          rec ? `${rec.freeMb} MB free of ${rec.sizeMb} MB on ${rec.mount} (needs ≥ ${minFreeMb} MB)` : 'no disk found',
        ),
      );
      checks.push(
        check('box', 'CPU', host.cores >= 2, `${host.cores} cores, ${host.cpuPercent.toFixed(0)} % busy, load ${host.load1.toFixed(2)}`),
      );
      checks.push(check('box', 'Bộ nhớ / memory', host.memTotalMb >= 2048, `${host.memAvailableMb} MB available of ${host.memTotalMb} MB`));
      checks.push(
        check(
          'box',
          'Nhiệt độ / temperature',
          host.tempC === null ? 'skipped' : host.tempC < 85,
          host.tempC === null ? 'no sensor exposed by the kernel' : `${host.tempC} °C (max ${host.tempMaxC ?? '?'} °C)`,
        ),
      );
    }
    checks.push(
      check(
        'box',
        'Cổng nối tiếp / serial ports',
        'skipped',
        ports.map((p) => `${p.path}${p.manufacturer ? ` (${p.manufacturer})` : ''}`).join(', ') || 'none listed by udev',
      ),
    );
    checks.push(
      check('box', 'Card âm thanh / sound cards', cards.length > 0 ? true : 'skipped', cards.join('; ') || 'none in /proc/asound/cards'),
    );
    return { checks, data: { host, serialPorts: ports.map((p) => p.path), soundCards: cards } };
  },
};
