import type { verifyDir } from './verify-command.js';
import { heldText } from './verify-receipts.js';

// The human-readable report of `reception verify`: Vietnamese first, English second.

const GAP_VI: Record<string, string> = {
  'worker-restart': 'bộ ghi khởi động lại',
  'camera-slate': 'mất tín hiệu camera (màn hình chờ)',
  'recorder-stopped': 'dừng ghi',
  'disk-full': 'đầy đĩa',
};
const clock = (ms: number) => new Date(ms).toISOString().slice(11, 19);
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function human(r: Awaited<ReturnType<typeof verifyDir>>): string {
  const held = r.heldByReceipt.length;
  const heldNote = held > 0 ? ` (${held} đoạn chỉ còn biên nhận của trung tâm / ${held} segment(s) held by hub receipt only)` : '';
  const out = [
    `Kiểm tra hồ sơ phiên tiếp dân / Hearing evidence check: ${r.dir}`,
    `Phiên / Hearing: ${r.hearing ?? '?'}   Phòng / Room: ${r.room ?? '?'}   ${r.closed ? 'đã đóng / closed' : 'chưa đóng / not closed'}`,
    `Khoá ký / Signing key: ${r.publicKey || '?'}${r.signingKey.fingerprint ? ` (SHA-256 ${r.signingKey.fingerprint})` : ''}`,
    `  ${
      r.signingKey.confirmed
        ? `khoá đã đăng ký của phòng / the room's enrolled key — ${r.signingKey.source}`
        : r.signingKey.source
          ? `KHÔNG phải khoá đã đăng ký của phòng / NOT the room's enrolled key — ${r.signingKey.source}`
          : 'CHƯA XÁC NHẬN (cần --registry hoặc --key) / NOT CONFIRMED (give --registry or --key)'
    }`,
    ...(r.hubKey ? [`Khoá biên nhận của trung tâm / Hub receipt key: ${r.hubKey.publicKey} (${r.hubKey.source})`] : []),
    `Đoạn ghi / Segments: ${r.segments.length}   Tổng thời lượng / Total duration: ${clock(r.totalDurationMs)} (${secs(r.totalDurationMs)})`,
    ...r.heldByReceipt.map((h) => heldText(h.file, h.receivedAt)).map((t) => `  - ${t.vi} / ${t.en}`),
    `Khoảng trống / Gaps: ${r.gaps.length}`,
    ...r.gaps.map((g) => `  - ${g.start} → ${g.end} (${secs(g.durationMs)}): ${GAP_VI[g.reason] ?? g.reason} / ${g.reason}`),
    ...clockLines(r.clocks),
    `Sổ tiếp công dân / Reception book: ${{ matches: 'khớp / matches', absent: 'không có / none', mismatch: 'KHÔNG KHỚP / MISMATCH' }[r.book]}`,
    ...r.warnings.map((w) => `Lưu ý / Note: ${w}`),
    r.ok
      ? `KẾT QUẢ: NGUYÊN VẸN / RESULT: INTACT${heldNote}`
      : `KẾT QUẢ: KHÔNG NGUYÊN VẸN / RESULT: NOT INTACT — ${r.firstProblem}${heldNote}`,
    ...r.problems.map((p) => `  - ${p.vi} / ${p.en}`),
  ];
  return out.join('\n') + '\n';
}

/** The room's clock against the hub's at open and close: evidence times are the room's clock. */
function clockLines(clocks: Awaited<ReturnType<typeof verifyDir>>['clocks']): string[] {
  if (!clocks.length)
    return ['Đồng hồ phòng / Room clock: không ghi độ lệch / no offset recorded (older room, or the hub not reached yet)'];
  return clocks.map((c) => {
    const [vi, en] = c.kind === 'open' ? ['lúc mở', 'at open'] : ['lúc đóng', 'at close'];
    const off = `${c.offsetMs >= 0 ? '+' : ''}${c.offsetMs} ms ± ${Math.ceil(c.rttMs / 2)} ms`;
    const warn = Math.abs(c.offsetMs) > 1000 ? ' — LỆCH QUÁ 1 GIÂY / OFF BY MORE THAN 1 S' : '';
    return `Đồng hồ phòng ${vi} / Room clock ${en}: ${off} so với / against ${c.source} (đo lúc / measured ${c.measuredAt})${warn}`;
  });
}
