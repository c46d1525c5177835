import { bi, type Bi } from './i18n.js';
import type { Preset } from './types.js';

// What one camera's preset row shows an officer (pure). The daemon answers `view=named` with the room's named
// presets only (config order, config names); a vendor function preset (reboot, OSD menu, scan) never becomes a
// button here even if a daemon sent one. An empty row or a failed read says so instead of showing nothing.

export type PresetRow = { buttons: Preset[]; note: Bi | null };

/** The buttons and the note for one camera: `list` as answered, or null when reading it failed. */
export function presetRow(list: Preset[] | null): PresetRow {
  if (list === null) return { buttons: [], note: bi('Không đọc được vị trí của camera này', "Could not read this camera's presets") };
  const buttons = list.filter((p) => !p.function && !p.missing);
  return {
    buttons,
    note: buttons.length
      ? null
      : bi('Chưa có vị trí đặt sẵn: kỹ thuật viên đặt tên trong cấu hình', 'No named presets yet: a technician names them in the config'),
  };
}
