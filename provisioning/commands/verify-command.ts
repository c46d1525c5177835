import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseManifest, sha256Hex, verifyChain, type BookEntry, type ManifestEntry, type OpenEntry } from '../../common/evidence/index.js';

// `reception verify PATH`: is this hearing directory (room or archive) intact? Exit 0 intact, 1 with
// the first bad segment/entry named, 2 usage. Checks follow docs/EVIDENCE.md.

const USAGE = 'Usage: reception verify HEARING_DIR [--json] [--key BASE64_ENROLLED_PUBLIC_KEY] [--max-gap-ms 2000]\n';
const SEGMENT_FILE = /^seg-\d+\.[a-z0-9]+$/;
const GAP_VI: Record<string, string> = { 'worker-restart': 'bộ ghi khởi động lại', 'camera-slate': 'mất tín hiệu camera (màn hình chờ)', 'recorder-stopped': 'dừng ghi', 'disk-full': 'đầy đĩa' };

interface Problem { order: number; vi: string; en: string }

export async function run(argv: string[]): Promise<number> {
  let values: { json?: boolean; key?: string; 'max-gap-ms'?: string };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { json: { type: 'boolean' }, key: { type: 'string' }, 'max-gap-ms': { type: 'string' } } }));
  } catch (err) {
    return usage((err as Error).message);
  }
  if (positionals.length !== 1) return usage('one HEARING_DIR expected');
  const dir = resolve(positionals[0]);
  if (!(await stat(dir).catch(() => null))?.isDirectory()) return usage(`${dir} is not a directory`);
  const publicKeyRaw = values.key ? Buffer.from(values.key, 'base64') : undefined;
  if (publicKeyRaw && publicKeyRaw.length !== 32) return usage('--key must be the base64 of a 32-byte Ed25519 public key');
  const maxSilentGapMs = values['max-gap-ms'] ? Number(values['max-gap-ms']) : undefined;
  if (maxSilentGapMs !== undefined && !(maxSilentGapMs >= 0)) return usage('--max-gap-ms must be a number of milliseconds');

  const report = await verifyDir(dir, { publicKeyRaw, maxSilentGapMs });
  if (values.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  else process.stdout.write(human(report));
  if (!report.ok) process.stderr.write(`reception verify: ${report.firstProblem}\n`);
  return report.ok ? 0 : 1;
}

function usage(why: string): number {
  process.stderr.write(`reception verify: ${why}\n${USAGE}`);
  return 2;
}

async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function verifyDir(dir: string, opts: { publicKeyRaw?: Buffer; maxSilentGapMs?: number }) {
  const problems: Problem[] = [];
  const warnings: string[] = [];
  const add = (order: number, vi: string, en: string) => problems.push({ order, vi, en });
  const text = await readFile(join(dir, 'manifest.jsonl'), 'utf8').catch(() => null);
  if (text === null) add(-1, 'manifest.jsonl: không có tệp', 'manifest.jsonl: missing');
  const { entries, errors } = parseManifest(text ?? '');
  for (const e of errors) add(e.line - 1, `manifest.jsonl dòng ${e.line}: không đọc được`, `manifest.jsonl line ${e.line}: ${e.message}`);
  const chain = verifyChain(entries, opts);
  if (chain.firstBad && text !== null) add(chain.firstBad.seq, `manifest.jsonl seq ${chain.firstBad.seq}: chuỗi bị phá vỡ`, `manifest.jsonl seq ${chain.firstBad.seq}: ${chain.firstBad.reason}`);
  const valid: ManifestEntry[] = chain.firstBad ? entries.slice(0, chain.firstBad.seq) : entries;

  for (const s of chain.segments) {
    const st = await stat(join(dir, s.file)).catch(() => null);
    if (!st) add(s.seq, `${s.file}: thiếu tệp`, `${s.file}: missing`);
    else if (st.size !== s.bytes) add(s.seq, `${s.file}: kích thước ${st.size} khác manifest (${s.bytes})`, `${s.file}: size ${st.size}, manifest says ${s.bytes}`);
    else if ((await fileSha256(join(dir, s.file))) !== s.sha256) add(s.seq, `${s.file}: mã băm SHA-256 không khớp`, `${s.file}: SHA-256 mismatch`);
  }

  const bookEntry = valid.filter((e): e is BookEntry => e.kind === 'book').at(-1);
  const bookBytes = await readFile(join(dir, 'book.json')).catch(() => null);
  let book: 'matches' | 'absent' | 'mismatch' = bookBytes ? 'matches' : 'absent';
  if (bookEntry && !bookBytes) add(bookEntry.seq, 'book.json: thiếu tệp', 'book.json: missing (the manifest has a book entry)'), (book = 'mismatch');
  else if (bookEntry && sha256Hex(bookBytes!) !== bookEntry.sha256) add(bookEntry.seq, `book.json: không khớp mục seq ${bookEntry.seq}`, `book.json: does not match the newest book entry (seq ${bookEntry.seq})`), (book = 'mismatch');
  else if (!bookEntry && bookBytes && !chain.firstBad) add(Infinity, 'book.json: không có trong manifest', 'book.json: not anchored in the manifest'), (book = 'mismatch');

  // Segment files the manifest does not list: a truncated manifest, or (open hearing) the one being written.
  const closed = valid.at(-1)?.kind === 'close';
  const listed = new Set(entries.filter((e) => e.kind === 'segment').map((e) => (e as { file: string }).file));
  const unlisted = (await readdir(dir)).filter((f) => SEGMENT_FILE.test(f) && !listed.has(f)).sort();
  unlisted.forEach((f, i) => {
    const inProgress = !closed && i === unlisted.length - 1 && unlisted.length === 1 && !chain.firstBad;
    if (inProgress) warnings.push(`${f}: chưa có trong manifest, đang ghi? / not in the manifest yet (being recorded?)`);
    else add(Infinity, `${f}: không có trong manifest (manifest bị cắt?)`, `${f}: not in the manifest (manifest truncated?)`);
  });
  if (!closed && !chain.firstBad) warnings.push('phiên chưa đóng (không có mục close) / hearing not closed (no close entry)');

  problems.sort((a, b) => a.order - b.order);
  const open = entries[0]?.kind === 'open' ? (entries[0] as OpenEntry) : undefined;
  return {
    ok: problems.length === 0,
    firstProblem: problems[0]?.en,
    dir,
    hearing: open?.hearing ?? null,
    room: open?.room ?? null,
    publicKey: chain.publicKey,
    enrolledKeyGiven: !!opts.publicKeyRaw,
    closed,
    segments: chain.segments.map(({ file, bytes, durationMs, start, end }) => ({ file, bytes, durationMs, start, end })),
    totalDurationMs: chain.totalDurationMs,
    gaps: chain.gaps.map(({ start, end, reason }) => ({ start, end, reason, durationMs: Date.parse(end) - Date.parse(start) })),
    book,
    problems: problems.map(({ vi, en }) => ({ vi, en })),
    warnings,
  };
}

const clock = (ms: number) => new Date(ms).toISOString().slice(11, 19);
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function human(r: Awaited<ReturnType<typeof verifyDir>>): string {
  const out = [
    `Kiểm tra hồ sơ phiên tiếp dân / Hearing evidence check: ${r.dir}`,
    `Phiên / Hearing: ${r.hearing ?? '?'}   Phòng / Room: ${r.room ?? '?'}   ${r.closed ? 'đã đóng / closed' : 'chưa đóng / not closed'}`,
    `Khoá ký / Signing key: ${r.publicKey || '?'} (${r.enrolledKeyGiven ? 'khoá đã đăng ký / enrolled key' : 'từ mục open / from the open entry'})`,
    `Đoạn ghi / Segments: ${r.segments.length}   Tổng thời lượng / Total duration: ${clock(r.totalDurationMs)} (${secs(r.totalDurationMs)})`,
    `Khoảng trống / Gaps: ${r.gaps.length}`,
    ...r.gaps.map((g) => `  - ${g.start} → ${g.end} (${secs(g.durationMs)}): ${GAP_VI[g.reason] ?? g.reason} / ${g.reason}`),
    `Sổ tiếp công dân / Reception book: ${{ matches: 'khớp / matches', absent: 'không có / none', mismatch: 'KHÔNG KHỚP / MISMATCH' }[r.book]}`,
    ...r.warnings.map((w) => `Lưu ý / Note: ${w}`),
    r.ok ? 'KẾT QUẢ: NGUYÊN VẸN / RESULT: INTACT' : `KẾT QUẢ: KHÔNG NGUYÊN VẸN / RESULT: NOT INTACT — ${r.firstProblem}`,
    ...r.problems.map((p) => `  - ${p.vi} / ${p.en}`),
  ];
  return out.join('\n') + '\n';
}
