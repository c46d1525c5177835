/**
 * Vendor function presets (part B of issue 11; wired by onvif-ptz.ts into presets()).
 *
 *   flagFunctionPresets(manufacturer: string, presets: PresetReading[]): PtzPreset[]
 *     manufacturer: GetDeviceInformation's Manufacturer ("HIKVISION", "Dahua", "UNIVIEW", "Pelco"…).
 *     Returns the same list, in order, each function preset carrying `function` (Vietnamese, then the
 *     vendor's English words): calling it runs a camera function (reboot, OSD menu, scan…), it is no view.
 *   presetFunction(manufacturer, { token, name }): string | undefined — the same for one preset.
 *
 * Recognised two ways: by number, from the vendor's published table (the token or a "Preset N" name gives
 * the number), and by the name the camera gives the slot ("Remote reboot", "Call OSD menu"…), whatever the
 * vendor — a Hikvision dome lists all 300 slots through ONVIF with its function names (see README).
 */
import type { PresetReading } from '../../../../common/protocols/onvif/index.js';
import type { PtzPreset } from '../ptz-driver.js';
import { VENDOR_TABLES } from './function-presets-vendors.js';

/** Function names cameras give their slots (the name starts with it) → Vietnamese; first match wins. */
const BY_NAME: [RegExp, string][] = [
  [/^remote\s*reboot|^reboot|^restart/i, 'Khởi động lại camera'],
  [/^(call\s*)?(osd\s*|main\s*)menu/i, 'Mở menu OSD của camera'],
  [/^initiali[sz]e\s*ptz|^factory|^restore/i, 'Khôi phục tham số PTZ'],
  [/^(set|save)\s*(manual\s*|scan\s*)?limit/i, 'Đặt giới hạn quay'],
  [/^stop\s*(a\s*)?scan/i, 'Dừng quét'],
  [/^start\s*park/i, 'Chế độ chờ (park)'],
  [/^(start\s*)?(auto|random|frame|tilt|panorama|panoramic)?\s*scan(\s*\d+)?$/i, 'Bắt đầu quét'],
  [/^(call\s*|one-touch\s*)?(patrol|tour|cruise)(\s*\d+)?$|^path\s*\d+$/i, 'Chạy tuần tra'],
  [/^stop\s*pattern/i, 'Dừng mẫu chuyển động'],
  [/^(call\s*|start\s*)?pattern\s*\d*$/i, 'Chạy mẫu chuyển động'],
  [/^auto[\s-]*flip|^180\s*flip/i, 'Lật 180°'],
  [/^back\s*to\s*origin|^go\s*to\s*zero|^zero\s*pan/i, 'Về gốc toạ độ'],
  [/^day\s*\/\s*night|^day\s*mode|^night\s*mode/i, 'Chế độ ngày/đêm'],
  [/^self[\s-]*check/i, 'Tự kiểm tra'],
  [/^(wiper|washer|ir\s*light|light)\b/i, 'Điều khiển phụ (gạt nước, đèn)'],
];

export type VendorKey = keyof typeof VENDOR_TABLES;

export function vendorOf(manufacturer: string): VendorKey | undefined {
  const m = manufacturer.toLowerCase();
  if (m.includes('hikvision') || m.includes('hikvison')) return 'hikvision';
  if (m.includes('dahua')) return 'dahua';
  if (m.includes('uniview') || m === 'unv' || m.includes('zhejiang uniview')) return 'uniview';
  if (m.includes('pelco')) return 'pelco';
  if (m.includes('milesight')) return 'milesight';
  return undefined;
}

/** The preset's slot number: a numeric token, else a "Preset 95" / "Preset095" name. */
export function slotOf(p: { token: string; name: string }): number | undefined {
  const m = /^\s*0*(\d{1,4})\s*$/.exec(p.token) ?? /^\s*preset\s*0*(\d{1,4})\s*$/i.exec(p.name);
  return m ? Number(m[1]) : undefined;
}

export function presetFunction(manufacturer: string, p: { token: string; name: string }): string | undefined {
  const vendor = vendorOf(manufacturer);
  const slot = slotOf(p);
  if (vendor && slot !== undefined) {
    const en = VENDOR_TABLES[vendor].presets[slot];
    if (en) return `${viOf(en) ?? 'Chức năng của camera'} — ${en}`;
  }
  const vi = viOf(p.name);
  return vi ? `${vi} — ${p.name.trim()}` : undefined;
}

function viOf(name: string): string | undefined {
  return BY_NAME.find(([re]) => re.test(name))?.[1];
}

export function flagFunctionPresets(manufacturer: string, presets: PresetReading[]): PtzPreset[] {
  return presets.map((p) => {
    const fn = presetFunction(manufacturer, p);
    return fn ? { ...p, function: fn } : { ...p };
  });
}
