import { bi, type Bi } from './i18n.js';

// Pure: the reception book form's fields (common/evidence/book-schema.ts), their Vietnamese labels,
// the PUT body built from the form, and the daemon's 400 turned into words an officer reads.

export const CLASSIFICATIONS = [
  ['complaint', bi('Khiếu nại', 'Complaint')],
  ['denunciation', bi('Tố cáo', 'Denunciation')],
  ['petition', bi('Kiến nghị', 'Petition')],
  ['reflection', bi('Phản ánh', 'Reflection')],
] as const;

/** Form field name (= the body path without `body.`) → label. */
export const FIELDS: [string, Bi, 'text' | 'area' | 'datetime' | 'select' | 'list', boolean][] = [
  ['receivedAt', bi('Thời gian tiếp', 'Received at'), 'datetime', true],
  ['officer.name', bi('Cán bộ tiếp', 'Receiving officer'), 'text', true],
  ['officer.unit', bi('Đơn vị', 'Unit'), 'text', true],
  ['citizen.fullName', bi('Họ và tên công dân', "Citizen's full name"), 'text', true],
  ['citizen.address', bi('Địa chỉ', 'Address'), 'text', true],
  ['citizen.idNumber', bi('Số giấy tờ tùy thân', 'Identity document number'), 'text', true],
  ['citizen.idType', bi('Loại giấy tờ (CCCD, hộ chiếu…)', 'Document type'), 'text', false],
  ['classification', bi('Phân loại', 'Classification'), 'select', true],
  ['summary', bi('Tóm tắt nội dung', 'Content summary'), 'area', true],
  ['handling', bi('Hướng xử lý', 'Handling direction'), 'area', true],
  ['participants.rooms', bi('Phòng tham gia (cách nhau bởi dấu phẩy)', 'Rooms taking part (comma-separated)'), 'list', false],
  ['participants.officers', bi('Cán bộ tham gia (cách nhau bởi dấu phẩy)', 'Officers taking part (comma-separated)'), 'list', false],
];

const list = (s: string | undefined) =>
  (s ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/** `datetime-local` value (local wall time) ↔ ISO with offset. */
export function localInputToIso(v: string): string {
  const d = new Date(v);
  return Number.isFinite(d.getTime()) ? d.toISOString() : v;
}
export function isoToLocalInput(iso: string): string {
  const d = new Date(iso);
  if (!Number.isFinite(d.getTime())) return '';
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** The PUT /hearings/{id}/book body from flat form values (trimmed; an empty optional field is left out). */
export function toBookInput(v: Record<string, string>) {
  const t = (k: string) => (v[k] ?? '').trim();
  return {
    receivedAt: localInputToIso(t('receivedAt')),
    officer: { name: t('officer.name'), unit: t('officer.unit') },
    citizen: {
      fullName: t('citizen.fullName'),
      address: t('citizen.address'),
      idNumber: t('citizen.idNumber'),
      ...(t('citizen.idType') ? { idType: t('citizen.idType') } : {}),
    },
    classification: t('classification'),
    summary: t('summary'),
    handling: t('handling'),
    participants: { rooms: list(v['participants.rooms']), officers: list(v['participants.officers']) },
  };
}

/** Flat form values from a stored record (GET /hearings/{id}/book). */
export function fromBook(b: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  const get = (path: string) =>
    path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), b);
  for (const [name, , kind] of FIELDS) {
    const v = get(name);
    if (kind === 'list' && Array.isArray(v)) out[name] = v.join(', ');
    else if (kind === 'datetime' && typeof v === 'string') out[name] = isoToLocalInput(v);
    else if (typeof v === 'string') out[name] = v;
  }
  return out;
}

/** A 400 from the daemon (`field` like "body.citizen.fullName", ajv message) in plain words. */
export function explainInvalid(field: string | undefined, message: string): { name: string | null; text: Bi } {
  const name = field?.replace(/^body\.?/, '').replace(/\.\d+$/, '') || null;
  const label = FIELDS.find(([n]) => n === name)?.[1] ?? (name ? bi(name, name) : bi('Biểu mẫu', 'Form'));
  const max = /more than (\d+)/.exec(message)?.[1];
  const why = /required property|fewer than 1 /.test(message)
    ? bi('bắt buộc, chưa nhập', 'required')
    : max
      ? bi(`quá dài (tối đa ${max} ký tự)`, `too long (at most ${max} characters)`)
      : /pattern|real date|format/.test(message)
        ? bi('sai định dạng', 'wrong format')
        : /equal to one of|union|constant/.test(message)
          ? bi('chọn một giá trị trong danh sách', 'pick one of the list')
          : bi(message.replace(/^[\w.]+: /, ''), message.replace(/^[\w.]+: /, ''));
  return { name, text: bi(`${label.vi}: ${why.vi}`, `${label.en}: ${why.en}`) };
}
