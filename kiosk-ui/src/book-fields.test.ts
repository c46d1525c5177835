import { describe, expect, it } from 'vitest';
import { explainInvalid, fromBook, toBookInput } from './book-fields.js';

describe('reception book form', () => {
  const values = {
    receivedAt: '2026-03-04T09:30',
    'officer.name': ' Nguyễn Văn B ',
    'officer.unit': 'Ban Tiếp công dân',
    'citizen.fullName': 'Trần Thị C',
    'citizen.address': 'Hà Nội',
    'citizen.idNumber': '001234567890',
    'citizen.idType': '',
    classification: 'petition',
    summary: 'Đề nghị cấp giấy chứng nhận',
    handling: 'Hướng dẫn nộp hồ sơ',
    'participants.rooms': 'room-1, room-2,',
    'participants.officers': 'Nguyễn Văn B',
  };

  it('builds the PUT body: trimmed, lists split, empty optional field left out, local time → ISO', () => {
    const body = toBookInput(values);
    expect(body.officer).toEqual({ name: 'Nguyễn Văn B', unit: 'Ban Tiếp công dân' });
    expect(body.citizen).toEqual({ fullName: 'Trần Thị C', address: 'Hà Nội', idNumber: '001234567890' });
    expect(body.participants).toEqual({ rooms: ['room-1', 'room-2'], officers: ['Nguyễn Văn B'] });
    expect(new Date(body.receivedAt).getTime()).toBe(new Date('2026-03-04T09:30').getTime());
    expect(body.receivedAt).toMatch(/Z$/);
  });

  it('round-trips a stored record into the form', () => {
    const back = fromBook(toBookInput(values) as unknown as Record<string, unknown>);
    const { 'citizen.idType': _none, ...rest } = values;
    expect(back).toEqual({ ...rest, 'officer.name': 'Nguyễn Văn B', 'participants.rooms': 'room-1, room-2' });
    expect(back).not.toHaveProperty('citizen.idType');
  });

  it.each([
    [
      'body.citizen.fullName',
      "body.citizen: must have required property 'fullName'",
      'citizen.fullName',
      'Họ và tên công dân: bắt buộc, chưa nhập',
    ],
    ['body.summary', 'body.summary: must NOT have fewer than 1 characters', 'summary', 'Tóm tắt nội dung: bắt buộc, chưa nhập'],
    [
      'body.citizen.idNumber',
      'body.citizen.idNumber: must NOT have more than 40 characters',
      'citizen.idNumber',
      'Số giấy tờ tùy thân: quá dài (tối đa 40 ký tự)',
    ],
    ['body.receivedAt', 'not a real date and time', 'receivedAt', 'Thời gian tiếp: sai định dạng'],
    [
      'body.classification',
      'body.classification: must be equal to constant',
      'classification',
      'Phân loại: chọn một giá trị trong danh sách',
    ],
    [
      'body.participants.rooms.0',
      'body.participants.rooms.0: must NOT have fewer than 1 characters',
      'participants.rooms',
      'Phòng tham gia (cách nhau bởi dấu phẩy): bắt buộc, chưa nhập',
    ],
    [undefined, 'something odd', null, 'Biểu mẫu: something odd'],
  ] as const)('400 on %s reads as words', (field, message, name, vi) => {
    const r = explainInvalid(field, message);
    expect(r.name).toBe(name);
    expect(r.text.vi).toBe(vi);
  });
});
