import { AppError, InvalidRequestError, NotFoundError } from '../../../../common/errors.js';
import type { Preset } from '../../../../common/contracts/daemon-api/room.js';
import type { NamedPreset } from '../../../config/preset-names.js';
import type { PtzPreset } from '../../../drivers/ptz/ptz-driver.js';

// Who sees and recalls which camera preset (issue 11). Officers: the room's named presets from commissioning
// (`cameras[].presetNames`), in config order, under config names, never a vendor function preset (reboot,
// OSD menu, scans…), whatever the camera lists. Technicians: every preset, flagged; a function preset runs
// only with an explicit `confirm=true`. Pure: the routes pass the camera's list and the caller's rank.

/** The officer view: named presets the camera holds, in config order, function presets left out. */
export function officerPresets(camera: readonly PtzPreset[], named: readonly NamedPreset[]): Preset[] {
  const held = new Map(camera.map((p) => [p.token, p]));
  return named.flatMap(({ token, name }) => {
    const p = held.get(token);
    return p && !p.function ? [{ token, name, ...(p.position ? { position: p.position } : {}) }] : [];
  });
}

/** The technician view: the camera's whole list (config names applied, `named`, `function`), then named tokens it lacks. */
export function technicianPresets(camera: readonly PtzPreset[], named: readonly NamedPreset[]): Preset[] {
  const names = new Map(named.map((p) => [p.token, p.name]));
  const held = new Set(camera.map((p) => p.token));
  return [
    ...camera.map((p) => ({ ...p, name: names.get(p.token) ?? p.name, named: names.has(p.token) })),
    ...named.filter((p) => !held.has(p.token)).map((p) => ({ token: p.token, name: p.name, named: true, missing: true })),
  ];
}

const list = (named: readonly NamedPreset[]) => named.map((p) => `${p.token} "${p.name}"`).join(', ') || '—';

export interface RecallRequest {
  camera: string;
  token: string;
  /** The camera's own list, as read just now. */
  held: readonly PtzPreset[];
  named: readonly NamedPreset[];
  technician: boolean;
  confirm: boolean;
}

/** Why this recall may not go to the camera (the error to answer), or undefined when it may. */
export function recallRefusal(r: RecallRequest): AppError | undefined {
  const preset = r.held.find((p) => p.token === r.token);
  const named = r.named.find((p) => p.token === r.token);
  if (!r.technician && !named)
    return new NotFoundError(
      `camera "${r.camera}" không có vị trí đặt sẵn "${r.token}" cho cán bộ (các vị trí của phòng: ${list(r.named)}) / ` +
        `camera "${r.camera}" has no officer preset "${r.token}" (the room's presets: ${list(r.named)})`,
    );
  if (!preset)
    return new NotFoundError(
      named
        ? `camera "${r.camera}" không còn lưu vị trí "${r.token}" (${named.name}); kỹ thuật viên cần lưu lại / ` +
            `camera "${r.camera}" no longer holds preset "${r.token}" (${named.name}): a technician must store it again`
        : `camera "${r.camera}" không có preset "${r.token}" / camera "${r.camera}" has no preset "${r.token}"`,
    );
  if (!preset.function) return undefined;
  if (!r.technician)
    return new AppError(
      `preset "${r.token}" của camera "${r.camera}" là chức năng của hãng (${preset.function}), cán bộ không được gọi / ` +
        `preset "${r.token}" on camera "${r.camera}" is a vendor function (${preset.function}): officers may not recall it`,
      403,
      'FORBIDDEN',
    );
  if (!r.confirm)
    return new InvalidRequestError(
      'confirm',
      `preset "${r.token}" của camera "${r.camera}" là chức năng của hãng (${preset.function}); gửi lại với ?confirm=true để chạy / ` +
        `preset "${r.token}" on camera "${r.camera}" is a vendor function (${preset.function}): send ?confirm=true to run it`,
    );
  return undefined;
}
