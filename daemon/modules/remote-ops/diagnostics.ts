import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { arch, platform, release } from 'node:os';
import { basename } from 'node:path';
import { promisify } from 'node:util';
import { REDACTED, redactConfig } from '../../../common/config/redact-config.js';
import { errorMessage } from '../../../common/errors.js';
import type { HealthReply } from '../../../common/contracts/daemon-api/health.js';
import type { Supervisor } from './restart.js';
import { tarGz } from './tar-gz.js';
import { previousOf } from './trial.js';

// The diagnostics bundle a technician asks for from the console: recent logs, the config with every secret
// redacted (and the previous one), GET /api/v1/health, versions (app, node, GStreamer), the last fleet
// report and the remote-ops journal. Secrets found in the config are also blanked wherever a log line
// repeats them (logs never should; a bundle leaves the box).

const run = promisify(execFile);
const LOG_TAIL_BYTES = 1024 * 1024;

export interface DiagnosticsDeps {
  configFile?: string;
  health: { snapshot(): HealthReply };
  lastReport: () => unknown;
  journal: () => unknown;
  version: string;
  supervisor: Supervisor;
  systemdUnits: string[];
  env?: NodeJS.ProcessEnv;
}

async function tail(file: string): Promise<string> {
  const fd = await open(file, 'r');
  try {
    const { size } = await fd.stat();
    const start = Math.max(0, size - LOG_TAIL_BYTES);
    const buf = Buffer.alloc(size - start);
    await fd.read(buf, 0, buf.length, start);
    return buf.toString('utf8');
  } finally {
    await fd.close();
  }
}

/** Every secret value of a raw config (what redactConfig blanks), longest first. */
function secretsOf(raw: unknown, redacted: unknown, out: string[] = []): string[] {
  if (typeof raw === 'string' && typeof redacted === 'string' && raw !== redacted) {
    const userinfo = /^[a-z][a-z0-9+.-]*:\/\/([^/@\s]+)@/i.exec(raw)?.[1];
    out.push(userinfo && redacted.includes(`${REDACTED}@`) ? userinfo : raw);
  } else if (raw && typeof raw === 'object')
    for (const [k, v] of Object.entries(raw)) secretsOf(v, (redacted as Record<string, unknown>)[k], out);
  return out.filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
}

async function logs(d: DiagnosticsDeps): Promise<{ name: string; data: string }[]> {
  const env = d.env ?? process.env;
  if (d.supervisor === 'systemd') {
    const args = ['--no-pager', '-o', 'short-iso', '-n', '5000', ...d.systemdUnits.flatMap((u) => ['-u', u])];
    const text = await run('journalctl', args, { maxBuffer: 8 * LOG_TAIL_BYTES }).then(
      (r) => r.stdout,
      (e) => `journalctl ${args.join(' ')}: ${errorMessage(e)}\n`,
    );
    return [{ name: 'logs/journal.txt', data: text }];
  }
  const files = [env.pm_out_log_path, env.pm_err_log_path, env.RECEPTION_LOG_FILE].filter((f): f is string => !!f && existsSync(f));
  if (!files.length)
    return [
      { name: 'logs/README.txt', data: 'Không có nguồn nhật ký / no log source: not under systemd or pm2, and no RECEPTION_LOG_FILE.\n' },
    ];
  return Promise.all(files.map(async (f) => ({ name: `logs/${basename(f)}`, data: await tail(f) })));
}

export async function diagnosticsBundle(d: DiagnosticsDeps): Promise<{ bytes: Buffer; files: string[] }> {
  const readJson = async (f: string) => (existsSync(f) ? (JSON.parse(await readFile(f, 'utf8')) as unknown) : null);
  const config = d.configFile ? await readJson(d.configFile).catch((e: Error) => ({ unreadable: e.message })) : null;
  const previous = d.configFile ? await readJson(previousOf(d.configFile)).catch(() => null) : null;
  const secrets = [...secretsOf(config, redactConfig(config)), ...secretsOf(previous, redactConfig(previous))];
  const blank = (text: string) => secrets.reduce((t, s) => t.split(s).join(REDACTED), text);
  const gst = await run('gst-launch-1.0', ['--version']).then(
    (r) => r.stdout.trim().split('\n'),
    (e) => [`gst-launch-1.0 --version: ${errorMessage(e)}`],
  );
  const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
  const files = [
    { name: 'health.json', data: json(d.health.snapshot()) },
    {
      name: 'versions.json',
      data: json({
        app: d.version,
        node: process.versions,
        gstreamer: gst,
        os: { platform: platform(), release: release(), arch: arch() },
        supervisor: d.supervisor,
      }),
    },
    { name: 'config.json', data: json(redactConfig(config)) },
    ...(previous ? [{ name: 'config.previous.json', data: json(redactConfig(previous)) }] : []),
    { name: 'fleet-report.json', data: json(d.lastReport() ?? null) },
    { name: 'remote-ops.json', data: json(d.journal()) },
    ...(await logs(d)).map((l) => ({ ...l, data: blank(l.data) })),
  ];
  return { bytes: tarGz(files), files: files.map((f) => f.name) };
}
