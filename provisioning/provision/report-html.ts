import { readFile } from 'node:fs/promises';
import type { CommissioningCheck, CommissioningState } from '../../common/contracts/commissioning.js';
import { meterSvg } from './meter-svg.js';
import { STEP_NAMES, type ProgressDoc } from './progress.js';

// The commissioning report: one self-contained, printable HTML page (inline CSS with print rules, preset
// snapshots as data: URLs, the meter trace as inline SVG, no script) — Vietnamese first, English second.

const esc = (s: unknown) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const RESULT = { pass: 'Đạt / pass', fail: 'Không đạt / fail', skipped: 'Bỏ qua / skipped' } as const;
const TITLES: Record<string, string> = {
  box: 'Thiết bị / The box',
  cameras: 'Camera / Cameras',
  dsp: 'Bộ xử lý âm thanh / Audio DSP',
  hub: 'Trung tâm / The hub',
  kiosk: 'Mã PIN màn hình / Kiosk PIN',
  install: 'Cài dịch vụ và khoá phát hành / Units and release key',
  'self-test': 'Tự kiểm tra / Self-test',
};
const STATE = {
  commissioned: 'Đã nghiệm thu / Commissioned',
  failed: 'Chưa đạt / Failed',
  'in-progress': 'Đang nghiệm thu / In progress',
} as const;

const CSS = `body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#111}h1{font-size:22px}h2{font-size:17px;margin-top:24px;border-bottom:1px solid #999}
table{border-collapse:collapse;width:100%;table-layout:fixed}th:first-child{width:34%}th:nth-child(2){width:14%}td{overflow-wrap:anywhere}td,th{border:1px solid #bbb;padding:4px 6px;text-align:left;vertical-align:top}
.pass{color:#064}.fail{color:#a00;font-weight:bold}.skipped{color:#666}.state-failed{color:#a00}.state-commissioned{color:#064}
figure{display:inline-block;margin:8px;width:300px}figure img{width:300px;border:1px solid #999}
.sign{margin-top:40px;display:flex;gap:80px}.sign div{border-top:1px solid #000;width:220px;padding-top:4px}
@media print{body{margin:10mm}h2{break-after:avoid}tr,figure,svg{break-inside:avoid}a{color:#000;text-decoration:none}}
@page{size:A4;margin:12mm}`;

interface ReportInput {
  room: { id: string; name: string };
  doc: ProgressDoc;
  state: CommissioningState;
  at: string;
}

export function allChecks(doc: ProgressDoc): CommissioningCheck[] {
  return STEP_NAMES.flatMap((s) => doc.steps[s]?.checks ?? []);
}

async function presetFigures(doc: ProgressDoc): Promise<string> {
  const cams = (doc.steps.cameras?.data.cameras ?? []) as {
    id: string;
    presets?: { name: string; token: string; jpeg: string | null }[];
  }[];
  const out: string[] = [];
  for (const cam of cams)
    for (const p of cam.presets ?? []) {
      const jpeg = p.jpeg ? await readFile(p.jpeg).catch(() => null) : null;
      const img = jpeg
        ? `<img alt="${esc(p.name)}" src="data:image/jpeg;base64,${jpeg.toString('base64')}">`
        : '<p>(không có ảnh / no snapshot)</p>';
      out.push(`<figure>${img}<figcaption>${esc(cam.id)} · ${esc(p.name)} (token ${esc(p.token)})</figcaption></figure>`);
    }
  return out.length ? `<h3>Ảnh các vị trí đặt sẵn / Preset snapshots</h3>${out.join('')}` : '';
}

export async function reportHtml(r: ReportInput): Promise<string> {
  const checks = allChecks(r.doc);
  const passed = checks.filter((c) => c.result === 'pass').length;
  const failed = checks.filter((c) => c.result === 'fail').length;
  const sections: string[] = [];
  for (const step of STEP_NAMES) {
    const rec = r.doc.steps[step];
    const rows = (rec?.checks ?? [])
      .map((c) => `<tr><td>${esc(c.name)}</td><td class="${c.result}">${RESULT[c.result]}</td><td>${esc(c.figure)}</td></tr>`)
      .join('');
    let extra = '';
    if (step === 'cameras') extra = await presetFigures(r.doc);
    const trace = rec?.data.meterTrace as { t: number; db: number }[] | undefined;
    if (step === 'dsp' && trace?.length)
      extra = `<h3>Đồng hồ mức micro / Microphone meter</h3>${meterSvg(trace, `meter ${esc(rec?.data.channel)}`)}`;
    sections.push(
      `<h2>${TITLES[step]}</h2>${rec ? `<table><tr><th>Hạng mục / Check</th><th>Kết quả / Result</th><th>Số đo / Figure</th></tr>${rows}</table>${extra}` : '<p>Chưa làm / not done</p>'}`,
    );
  }
  return `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Biên bản nghiệm thu ${esc(r.room.id)} / Commissioning report</title><style>${CSS}</style></head><body>
<h1>Biên bản nghiệm thu phòng tiếp công dân<br><small>Commissioning report of a reception room</small></h1>
<table><tr><th>Phòng / Room</th><td>${esc(r.room.name)} (${esc(r.room.id)})</td></tr>
<tr><th>Thời điểm / At</th><td>${esc(r.at)}</td></tr>
<tr><th>Kết luận / Verdict</th><td class="state-${r.state}">${STATE[r.state]}: ${passed} đạt / passed, ${failed} không đạt / failed</td></tr></table>
${sections.join('\n')}
<div class="sign"><div>Kỹ thuật viên / Technician</div><div>Đại diện đơn vị / For the office</div></div>
</body></html>`;
}
