import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type GapEntry, parseManifest, publicKeyRawFromPem } from '../../common/evidence/index.js';
import { CLI, json } from '../../tests/helpers/room-processes.js';
import { until } from '../../tests/helpers/until.js';

const exec = promisify(execFile);

/**
 * After the hearing ended: the room's recording closed and forwarded to the hub, its manifest's gaps by
 * reason, and `reception verify` (with the room's enrolled key) on the room's copy and on the hub's archive.
 * Each line says what it found; nothing here throws (a soak reports, it does not stop at the first failure).
 */
export async function endChecks(o: {
  roomApi: string;
  roomStateDir: string;
  recordingsDir: string;
  archiveDir: string;
  hearingDir: string;
  say: (s: string) => void;
}): Promise<string[]> {
  const lines: string[] = [];
  const note = (s: string) => {
    lines.push(s);
    o.say(s);
  };
  const closed = await until(
    'the room recording closed',
    120_000,
    async () => (await json(`${o.roomApi}/api/v1/recording`)).body?.state === 'idle',
    500,
  ).then(
    () => true,
    () => false,
  );
  if (!closed) note('the room still records 120 s after the hearing ended');
  const forwardedAt = Date.now();
  const forwarded = await until(
    'forwarded',
    600_000,
    async () => (await json(`${o.roomApi}/api/v1/health`)).body?.uploader?.backlogFiles === 0,
    1000,
  ).then(
    () => true,
    () => false,
  );
  note(
    forwarded ? `forwarded to the hub ${Math.round((Date.now() - forwardedAt) / 1000)} s after closing` : 'NOT all forwarded within 10 min',
  );
  try {
    const entries = parseManifest(readFileSync(join(o.recordingsDir, o.hearingDir, 'manifest.jsonl'), 'utf8')).entries;
    const gaps = entries.filter((e): e is GapEntry => e.kind === 'gap');
    const byReason = new Map<string, { n: number; ms: number }>();
    for (const g of gaps) {
      const r = byReason.get(g.reason) ?? { n: 0, ms: 0 };
      r.n++;
      r.ms += Date.parse(g.end) - Date.parse(g.start);
      byReason.set(g.reason, r);
    }
    note(
      `manifest: ${entries.filter((e) => e.kind === 'segment').length} segments, ${gaps.length} gaps (${[...byReason]
        .map(([reason, r]) => `${reason} ×${r.n}, ${(r.ms / 1000).toFixed(1)} s`)
        .join('; ')}), last entry ${entries.at(-1)?.kind}`,
    );
  } catch (e) {
    note(`manifest unreadable: ${(e as Error).message}`);
  }
  const key = publicKeyRawFromPem(readFileSync(join(o.roomStateDir, 'keys', 'appliance-ed25519.pem'), 'utf8')).toString('base64');
  const verify = (dir: string) =>
    exec(process.execPath, [CLI, 'verify', dir, '--key', key], { maxBuffer: 64 << 20 }).then(
      (r) => r.stdout.trim().split('\n').at(-1),
      (e: { stdout: string; stderr: string }) => `FAILED: ${(e.stderr || e.stdout).trim().split('\n').slice(-3).join(' / ')}`,
    );
  note(`reception verify (room copy): ${await verify(join(o.recordingsDir, o.hearingDir))}`);
  note(`reception verify (archive): ${await verify(join(o.archiveDir, o.hearingDir))}`);
  return lines;
}
