import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseManifest, verifyChain } from '../../../common/evidence/index.js';

// The self-test's check of its own recording, with the project's verifier (common/evidence): the manifest's
// chain and signatures against this box's appliance key, then every segment file's bytes against its entry.

export interface HearingCheck {
  ok: boolean;
  closed: boolean;
  segments: number;
  bytes: number;
  durationMs: number;
  /** The first problem, Vietnamese / English; null when intact. */
  problem: string | null;
}

const sha256File = (path: string) =>
  new Promise<string>((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(path)
      .on('data', (d) => h.update(d))
      .on('end', () => resolve(h.digest('hex')))
      .on('error', reject);
  });

export async function verifyHearing(dir: string, publicKeyRaw: Buffer): Promise<HearingCheck> {
  const text = await readFile(join(dir, 'manifest.jsonl'), 'utf8').catch(() => '');
  const { entries, errors } = parseManifest(text);
  const closed = entries.some((e) => e.kind === 'close');
  const base = { closed, segments: 0, bytes: 0, durationMs: 0 };
  if (errors.length)
    return {
      ...base,
      ok: false,
      problem: `manifest hỏng dòng ${errors[0]!.line} / manifest line ${errors[0]!.line}: ${errors[0]!.message}`,
    };
  const report = verifyChain(entries, { publicKeyRaw });
  const figures = {
    closed,
    segments: report.segments.length,
    bytes: report.segments.reduce((n, s) => n + s.bytes, 0),
    durationMs: report.totalDurationMs,
  };
  if (!report.ok)
    return {
      ...figures,
      ok: false,
      problem: `chuỗi manifest sai tại #${report.firstBad?.seq} / manifest chain broken at #${report.firstBad?.seq}: ${report.firstBad?.reason}`,
    };
  for (const s of report.segments) {
    const hash = await sha256File(join(dir, s.file)).catch((e: Error) => `unreadable: ${e.message}`);
    if (hash !== s.sha256)
      return {
        ...figures,
        ok: false,
        problem: `đoạn ${s.file} không khớp / segment ${s.file} does not match its entry (${hash.slice(0, 16)}…)`,
      };
  }
  if (!closed) return { ...figures, ok: false, problem: 'phiên chưa đóng / the hearing was not closed (no close entry)' };
  if (report.segments.length === 0) return { ...figures, ok: false, problem: 'không có đoạn ghi nào / no segment was recorded' };
  return { ...figures, ok: true, problem: null };
}
