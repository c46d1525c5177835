import { describe, expect, it } from 'vitest';
import { PtzModel } from '../../../../simulators/ptz-model/ptz-model.js';
import { HIKVISION_FUNCTION_SLOTS, seedHikvisionPresets } from '../../../../simulators/onvif-camera/ptz-vendor-presets.js';
import { flagFunctionPresets, presetFunction, slotOf, vendorOf } from './function-presets.js';

const p = (token: string, name: string) => ({ token, name });

describe('vendor function presets', () => {
  it("a Hikvision dome's 280 listed slots: exactly its function slots flagged, the views not", () => {
    const model = new PtzModel(() => 0);
    seedHikvisionPresets(model);
    const flagged = flagFunctionPresets(
      'HIKVISION',
      model.presets().map(({ token, name }) => ({ token, name })),
    );
    expect(flagged).toHaveLength(280);
    const fn = flagged.filter((x) => x.function).map((x) => Number(x.token));
    // 47, 48, 90: in the camera's specialNo list, no public name — the simulator calls them "Preset N".
    const expected = [...HIKVISION_FUNCTION_SLOTS.map(([n]) => n), 47, 48, 90];
    expect(fn.sort((a, b) => a - b)).toEqual(expected.sort((a, b) => a - b));
    expect(flagged.find((x) => x.token === '94')?.function).toBe('Khởi động lại camera — Remote reboot');
    expect(flagged.find((x) => x.token === '95')?.function).toBe('Mở menu OSD của camera — Call OSD menu');
    expect(flagged.find((x) => x.token === '99')?.function).toBe('Bắt đầu quét — Start auto scan');
    expect(flagged.find((x) => x.token === '7')).toEqual({ token: '7', name: 'Preset 7' });
  });

  it('by slot number for a known vendor, whatever name the slot carries', () => {
    expect(presetFunction('HIKVISION', p('94', 'Bàn công dân'))).toBe('Khởi động lại camera — Remote reboot');
    expect(presetFunction('Pelco', p('97', 'x'))).toBe('Bắt đầu quét — Start random scan');
    expect(presetFunction('Pelco', p('95', 'x'))).toBeUndefined(); // no public Pelco source for 95 found
    expect(presetFunction('Milesight Technology Co.,Ltd.', p('35', 'x'))).toBe('Tự kiểm tra — Self Check');
    // The same number on a vendor without that table entry is an ordinary view.
    expect(presetFunction('AXIS', p('94', 'Cửa ra vào'))).toBeUndefined();
  });

  it('by the name the camera gives a slot, any vendor (Dahua and Uniview: no public table)', () => {
    expect(presetFunction('Dahua', p('x1', 'Call OSD menu'))).toBe('Mở menu OSD của camera — Call OSD menu');
    expect(presetFunction('UNIVIEW', p('x2', 'Start panorama scan'))).toBe('Bắt đầu quét — Start panorama scan');
    expect(presetFunction('Acme', p('x3', 'Remote reboot'))).toBe('Khởi động lại camera — Remote reboot');
    expect(presetFunction('Acme', p('x4', 'Stop pattern'))).toBe('Dừng mẫu chuyển động — Stop pattern');
    expect(presetFunction('HIKVISION', p('131', ''))).toBe('Dừng mẫu chuyển động — Stop pattern');
  });

  it('user views are never taken for functions', () => {
    for (const name of ['Bàn công dân', 'Toàn phòng', 'Patrol desk', 'Document scanner', 'Preset 12', 'Cán bộ tiếp dân', 'Lối vào'])
      expect(presetFunction('Acme', p('12', name))).toBeUndefined();
  });

  it('slot numbers from a numeric token or a "Preset N" name; vendors from Manufacturer', () => {
    expect(slotOf(p('095', 'x'))).toBe(95);
    expect(slotOf(p('Preset_95', 'Preset 95'))).toBe(95);
    expect(slotOf(p('abc', 'Bàn'))).toBeUndefined();
    expect(vendorOf('HIKVISION')).toBe('hikvision');
    expect(vendorOf('Zhejiang Uniview Technologies Co., Ltd.')).toBe('uniview');
    expect(vendorOf('ReceptionSim')).toBeUndefined();
  });
});
