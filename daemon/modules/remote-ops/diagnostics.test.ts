import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REDACTED } from '../../../common/config/redact-config.js';
import type { HealthReply } from '../../../common/contracts/daemon-api/health.js';
import { diagnosticsBundle } from './diagnostics.js';
import { previousOf } from './trial.js';

// The bundle as the technician gets it: unpacked with tar, every file read, no secret anywhere — not in
// the config, not in the previous config, not in a log line that repeated one.

const SECRETS = ['onvif-pass-123', 'rtsp-pass-456', 'a'.repeat(64), 'c'.repeat(64)];

describe('diagnostics bundle', () => {
  it('holds health, versions, the config and logs, with every secret redacted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'diag-'));
    const configFile = join(dir, 'config.json');
    const config = {
      room: { id: 'room-d', name: 'Phòng' },
      cameras: [
        { id: 'cam1', name: 'C', driver: 'onvif', onvif: { xaddr: 'http://10.0.0.2/onvif', username: 'admin', password: SECRETS[0] } },
      ],
      media: { rtspUri: `rtsp://viewer:${SECRETS[1]}@10.0.0.2/stream` },
      kiosk: { pinHash: SECRETS[2] },
    };
    writeFileSync(configFile, JSON.stringify(config));
    writeFileSync(
      previousOf(configFile),
      JSON.stringify({ ...config, access: { tokens: [{ name: 't', role: 'technician', sha256: SECRETS[3] }] } }),
    );
    const logFile = join(dir, 'daemon.log');
    writeFileSync(logFile, `{"msg":"camera refused","uri":"rtsp://viewer:${SECRETS[1]}@10.0.0.2/stream"}\n{"msg":"started"}\n`);
    const health = {
      status: 'degraded',
      room: config.room,
      version: '9.9.9',
      uptimeS: 5,
      memoryRssMb: 80,
      devices: [],
    } as unknown as HealthReply;

    const { bytes, files } = await diagnosticsBundle({
      configFile,
      health: { snapshot: () => health },
      lastReport: () => ({ at: 'then', status: 'degraded' }),
      journal: () => [{ id: 'op-x', state: 'running' }],
      version: '9.9.9',
      supervisor: 'exit',
      systemdUnits: [],
      env: { RECEPTION_LOG_FILE: logFile },
    });
    expect(files).toEqual([
      'health.json',
      'versions.json',
      'config.json',
      'config.previous.json',
      'fleet-report.json',
      'remote-ops.json',
      'logs/daemon.log',
    ]);
    const out = mkdtempSync(join(tmpdir(), 'diag-out-'));
    writeFileSync(join(out, 'b.tar.gz'), bytes);
    execFileSync('tar', ['-xzf', 'b.tar.gz'], { cwd: out });
    const read = (f: string) => readFileSync(join(out, f), 'utf8');
    expect(JSON.parse(read('health.json'))).toEqual(health);
    const versions = JSON.parse(read('versions.json'));
    expect(versions).toMatchObject({ app: '9.9.9', node: { node: process.versions.node }, supervisor: 'exit' });
    expect(versions.gstreamer.join(' ')).toMatch(/GStreamer 1\.\d+/);
    const cfg = JSON.parse(read('config.json'));
    expect(cfg.cameras[0].onvif).toEqual({ xaddr: 'http://10.0.0.2/onvif', username: 'admin', password: REDACTED });
    expect(cfg.media.rtspUri).toBe(`rtsp://${REDACTED}@10.0.0.2/stream`);
    expect(read('logs/daemon.log')).toContain(`rtsp://${REDACTED}@10.0.0.2/stream`);
    const everything = readdirSync(out, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && e.name !== 'b.tar.gz')
      .map((e) => readFileSync(join(e.parentPath, e.name), 'utf8'))
      .join('\n');
    for (const s of SECRETS) expect(everything).not.toContain(s);
    expect(JSON.parse(read('fleet-report.json'))).toEqual({ at: 'then', status: 'degraded' });
  });
});
