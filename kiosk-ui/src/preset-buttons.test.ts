import { describe, expect, it } from 'vitest';
import { presetRow } from './preset-buttons.js';

describe('kiosk preset row', () => {
  it('shows the named presets as answered, in that order', () => {
    const row = presetRow([
      { token: '12', name: 'Toàn cảnh · Whole room' },
      { token: '3', name: 'Bàn công dân · Citizen' },
    ]);
    expect(row.buttons.map((p) => p.token)).toEqual(['12', '3']);
    expect(row.note).toBeNull();
  });

  it('never makes a button of a vendor function preset or of a preset the camera lacks', () => {
    const row = presetRow([
      { token: '94', name: 'Remote reboot', function: 'remote reboot' },
      { token: '400', name: 'Tài liệu', named: true, missing: true },
      { token: '1', name: 'Công dân' },
    ]);
    expect(row.buttons.map((p) => p.token)).toEqual(['1']);
  });

  it('says so, Vietnamese first, when a camera has no named preset or its list could not be read', () => {
    expect(presetRow([{ token: '95', name: 'Call OSD menu', function: 'call OSD menu' }]).note?.vi).toMatch(/^Chưa có vị trí đặt sẵn/);
    expect(presetRow(null)).toEqual({
      buttons: [],
      note: { vi: 'Không đọc được vị trí của camera này', en: "Could not read this camera's presets" },
    });
  });
});
