import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  parseManifest,
  sha256Hex,
  verifyChain,
  type BookEntry,
  type ManifestEntry,
  type OpenEntry,
  type SegmentEntry,
} from '../../common/evidence/index.js';
import { human } from './verify-report.js';
import { absentProblem, coverAbsent, loadHubKey, type HubKey } from './verify-receipts.js';
import { checkSigningKey, fixedKeySource, parseKeyOption, registrySource, type KeySource } from './verify-key.js';
import { bucketFiles, dirFiles, type HearingFiles } from './verify-source.js';
import { StorageUnavailableError } from '../../hub/archive/s3-objects.js';

// `reception verify PATH`: is this hearing directory (room or archive) intact? Exit 0 intact, 1 with
// the first bad segment/entry named, 2 usage. Checks follow docs/EVIDENCE.md. The signing key must be the
// room's enrolled key at the hearing's time: from the hub-signed registry export (--registry) or --key
// (verify-key.ts); without either the hearing is not intact. A segment the room's retention deleted
// passes only with a hub receipt for exactly its bytes, checked with the hub key of --hub-key or
// --state-dir (verify-receipts.ts).

const USAGE =
  'Usage: reception verify HEARING_DIR (--registry EXPORT.json | --key KEY) [--json] [--max-gap-ms 2000]\n' +
  '                        [--hub-key BASE64|FILE | --state-dir ROOM_STATE_DIR]\n' +
  "  --registry: the hub-signed registry export (GET /api/v1/registry/export), checked with the hub's key\n" +
  "  --hub-key, --state-dir: the hub's receipt key (or the room's pinned <state>/keys/hub-public.key); it also\n" +
  '  lets a segment deleted by retention pass on its receipt in receipts.jsonl\n' +
  '  HEARING_DIR may be s3://BUCKET/[PREFIX/]HEARING: the archive in S3, read from the bucket\n' +
  '  [--s3-endpoint URL] [--s3-region R] [--s3-path-style] [--s3-credentials FILE] (else AWS_ACCESS_KEY_ID…)\n';
const SEGMENT_FILE = /^seg-\d+\.[a-z0-9]+$/;

export const usage = `${USAGE.split('\n').slice(0, 2).join('\n')}

Kiểm tra hồ sơ một phiên (tại phòng hoặc trong kho lưu trữ): manifest, chữ ký, các đoạn ghi, sổ tiếp dân.
Check a hearing directory (at the room or in the archive): manifest chain, signatures, segments, book.

Options:
      --json              print the report as JSON
      --registry FILE     the hub-signed registry export: the open key must be the room's enrolled key
                          at the hearing's time (needs --hub-key or --state-dir to check the export)
      --key KEY           or the room's enrolled public key: base64 (raw 32 bytes), PEM, or a file
                          (without --registry or --key the signing key is unconfirmed: not intact)
      --max-gap-ms MS     longest silent gap between segments allowed (default 2000)
      --hub-key KEY|FILE  the hub's receipt key: a segment deleted by retention passes on its receipt
      --state-dir DIR     the room's state directory, to use its pinned hub key instead
      --s3-endpoint URL   HEARING_DIR s3://BUCKET/PREFIX/HEARING (the hub's archive.url + the hearing): the S3
                          endpoint (MinIO, Ceph…; default AWS), with --s3-region R, --s3-path-style (MinIO,
                          Ceph), --s3-credentials FILE (JSON accessKeyId, secretAccessKey; else the AWS_* env)
  -h, --help              this help

Exit codes: 0 intact, 1 not intact (the first problem is named), 2 usage (or the S3 storage unreachable).
`;

interface Problem {
  order: number;
  vi: string;
  en: string;
}

export async function run(argv: string[]): Promise<number> {
  let values: {
    json?: boolean;
    key?: string;
    registry?: string;
    'max-gap-ms'?: string;
    'hub-key'?: string;
    'state-dir'?: string;
    's3-endpoint'?: string;
    's3-region'?: string;
    's3-path-style'?: boolean;
    's3-credentials'?: string;
  };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean' },
        key: { type: 'string' },
        registry: { type: 'string' },
        'max-gap-ms': { type: 'string' },
        'hub-key': { type: 'string' },
        'state-dir': { type: 'string' },
        's3-endpoint': { type: 'string' },
        's3-region': { type: 'string' },
        's3-path-style': { type: 'boolean' },
        's3-credentials': { type: 'string' },
      },
    }));
  } catch (err) {
    return usageError((err as Error).message);
  }
  if (positionals.length !== 1) return usageError('one HEARING_DIR expected');
  const inBucket = positionals[0]!.startsWith('s3://');
  const dir = inBucket ? positionals[0]! : resolve(positionals[0]!);
  if (!inBucket && !(await stat(dir).catch(() => null))?.isDirectory()) return usageError(`${dir} is not a directory`);
  const files = inBucket
    ? bucketFiles(dir, {
        endpoint: values['s3-endpoint'],
        region: values['s3-region'],
        pathStyle: values['s3-path-style'],
        credentials: values['s3-credentials'],
      })
    : dirFiles(dir);
  if (typeof files === 'string') return usageError(files);
  if (values.key !== undefined && values.registry !== undefined) return usageError('give --registry or --key, not both');
  const publicKeyRaw = values.key !== undefined ? await parseKeyOption(values.key) : undefined;
  if (typeof publicKeyRaw === 'string') return usageError(publicKeyRaw);
  const maxSilentGapMs = values['max-gap-ms'] ? Number(values['max-gap-ms']) : undefined;
  if (maxSilentGapMs !== undefined && !(maxSilentGapMs >= 0)) return usageError('--max-gap-ms must be a number of milliseconds');
  const hubKey = await loadHubKey({ hubKey: values['hub-key'], stateDir: values['state-dir'] });
  if (typeof hubKey === 'string') return usageError(hubKey);
  const keySource =
    values.registry !== undefined ? await registrySource(values.registry, hubKey) : publicKeyRaw && fixedKeySource(publicKeyRaw);
  if (typeof keySource === 'string') return usageError(keySource);

  let report: Awaited<ReturnType<typeof verifyDir>>;
  try {
    report = await verifyDir(dir, { keySource, maxSilentGapMs, hubKey, files });
  } catch (err) {
    if (!(err instanceof StorageUnavailableError)) throw err;
    process.stderr.write(`reception verify: ${err.message}\n`); // cannot tell: neither intact nor not
    return 2;
  }
  if (values.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  else process.stdout.write(human(report));
  if (!report.ok) process.stderr.write(`reception verify: ${report.firstProblem}\n`);
  return report.ok ? 0 : 1;
}

function usageError(why: string): number {
  process.stderr.write(`reception verify: ${why}\n${USAGE}`);
  return 2;
}

/** `files`: where the hearing's files are read (default: the directory `dir`; an S3 bucket: verify-source.ts). */
export async function verifyDir(
  dir: string,
  opts: { keySource?: KeySource; maxSilentGapMs?: number; hubKey?: HubKey; files?: HearingFiles },
) {
  const files = opts.files ?? dirFiles(dir);
  const problems: Problem[] = [];
  const warnings: string[] = [];
  const add = (order: number, vi: string, en: string) => problems.push({ order, vi, en });
  const text = (await files.read('manifest.jsonl'))?.toString('utf8') ?? null;
  if (text === null) add(-1, 'manifest.jsonl: không có tệp', 'manifest.jsonl: missing');
  const { entries, errors } = parseManifest(text ?? '');
  for (const e of errors) add(e.line - 1, `manifest.jsonl dòng ${e.line}: không đọc được`, `manifest.jsonl line ${e.line}: ${e.message}`);
  const chain = verifyChain(entries, { publicKeyRaw: opts.keySource?.fixedKeyRaw, maxSilentGapMs: opts.maxSilentGapMs });
  if (chain.firstBad && text !== null)
    add(
      chain.firstBad.seq,
      `manifest.jsonl seq ${chain.firstBad.seq}: chuỗi bị phá vỡ`,
      `manifest.jsonl seq ${chain.firstBad.seq}: ${chain.firstBad.reason}`,
    );
  const valid: ManifestEntry[] = chain.firstBad ? entries.slice(0, chain.firstBad.seq) : entries;
  const key = checkSigningKey(valid, opts.keySource);
  if (key.problem) add(-0.5, key.problem.vi, key.problem.en); // before any entry: nothing is evidence under an unknown key

  const absent: SegmentEntry[] = [];
  for (const s of chain.segments) {
    const size = await files.size(s.file);
    if (size === null) absent.push(s);
    else if (size !== s.bytes)
      add(s.seq, `${s.file}: kích thước ${size} khác manifest (${s.bytes})`, `${s.file}: size ${size}, manifest says ${s.bytes}`);
    else if ((await files.sha256(s.file)) !== s.sha256) add(s.seq, `${s.file}: mã băm SHA-256 không khớp`, `${s.file}: SHA-256 mismatch`);
  }
  const { covers, badLines } = await coverAbsent(dir, entries[0]?.hearing ?? '', absent, opts.hubKey?.raw);
  const held: { file: string; receivedAt: string }[] = [];
  for (const s of absent) {
    const c = covers.get(s.file)!;
    if (c.ok) held.push({ file: s.file, receivedAt: c.receipt.receivedAt });
    else {
      const p = absentProblem(s.file, c);
      add(s.seq, p.vi, p.en);
    }
  }
  if (badLines.length > 0)
    warnings.push(
      `receipts.jsonl dòng ${badLines.join(', ')}: không đọc được, bỏ qua / receipts.jsonl line(s) ${badLines.join(', ')}: unreadable, skipped`,
    );

  const bookEntry = valid.filter((e): e is BookEntry => e.kind === 'book').at(-1);
  const bookBytes = await files.read('book.json');
  let book: 'matches' | 'absent' | 'mismatch' = bookBytes ? 'matches' : 'absent';
  if (bookEntry && !bookBytes)
    add(bookEntry.seq, 'book.json: thiếu tệp', 'book.json: missing (the manifest has a book entry)'), (book = 'mismatch');
  else if (bookEntry && sha256Hex(bookBytes!) !== bookEntry.sha256)
    add(
      bookEntry.seq,
      `book.json: không khớp mục seq ${bookEntry.seq}`,
      `book.json: does not match the newest book entry (seq ${bookEntry.seq})`,
    ),
      (book = 'mismatch');
  else if (!bookEntry && bookBytes && !chain.firstBad)
    add(Infinity, 'book.json: không có trong manifest', 'book.json: not anchored in the manifest'), (book = 'mismatch');

  // Segment files the manifest does not list: a truncated manifest, or (open hearing) the one being written.
  const closed = valid.at(-1)?.kind === 'close';
  const listed = new Set(entries.filter((e) => e.kind === 'segment').map((e) => (e as { file: string }).file));
  const unlisted = (await files.names()).filter((f) => SEGMENT_FILE.test(f) && !listed.has(f)).sort();
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
    /** The open key against the registry export or --key: confirmed, its fingerprint, where the answer came from. */
    signingKey: { confirmed: key.confirmed, fingerprint: key.fingerprint, source: key.source },
    closed,
    hubKey: opts.hubKey ? { publicKey: opts.hubKey.raw.toString('base64'), source: opts.hubKey.source } : null,
    segments: chain.segments.map(({ file, bytes, durationMs, start, end }) => ({ file, bytes, durationMs, start, end })),
    /** Segments deleted here whose bytes the hub holds: a valid hub receipt for exactly them. */
    heldByReceipt: held,
    totalDurationMs: chain.totalDurationMs,
    gaps: chain.gaps.map(({ start, end, reason }) => ({ start, end, reason, durationMs: Date.parse(end) - Date.parse(start) })),
    /** The room's clock offset to the hub (or NTP) the chain records at open and close (docs/EVIDENCE.md). */
    clocks: chain.clocks,
    book,
    problems: problems.map(({ vi, en }) => ({ vi, en })),
    warnings,
  };
}
