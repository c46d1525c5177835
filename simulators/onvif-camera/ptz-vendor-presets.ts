// A real PTZ dome's preset list: Hikvision domes answer GetPresets with every slot (300), their function
// slots named as the camera names them (a Korean test report of a Hikvision PTZ over ONVIF: "Found 300
// existing presets … 33: Auto-flip, 34: Back to origin, 95: Call OSD menu, 99: Start auto scan"; the rest
// of the table from Hikvision speed dome manuals and an ISAPI specialNo list — sources in README).
// This is the simulator's own copy of the table, on purpose: the driver's recognition is tested against it.
import type { PtzModel, SpecialAction, Vec } from '../ptz-model/ptz-model.js';

type Slot = [number, string, SpecialAction];
const patrols = (from: number, first: number): Slot[] => [0, 1, 2, 3].map((i) => [from + i, `Call patrol ${first + i}`, 'none'] as Slot);

export const HIKVISION_FUNCTION_SLOTS: Slot[] = [
  [33, 'Auto-flip', 'flip'],
  [34, 'Back to origin', 'origin'],
  ...patrols(35, 1),
  [39, 'Day mode', 'none'],
  [40, 'Night mode', 'none'],
  ...[41, 42, 43, 44].map((n, i) => [n, `Call pattern ${i + 1}`, 'none'] as Slot),
  [45, 'One-touch patrol', 'none'],
  [46, 'Day/Night auto', 'none'],
  [92, 'Set manual limits', 'none'],
  [93, 'Save manual limits', 'none'],
  [94, 'Remote reboot', 'none'],
  [95, 'Call OSD menu', 'none'],
  [96, 'Stop a scan', 'stop'],
  [97, 'Start random scan', 'scan'],
  [98, 'Start frame scan', 'scan'],
  [99, 'Start auto scan', 'scan'],
  [100, 'Start tilt scan', 'scan'],
  [101, 'Start panorama scan', 'scan'],
  ...patrols(102, 5),
  [106, 'Start park with frame scan', 'scan'],
  [107, 'Start park with random scan', 'scan'],
  [108, 'Start park with pattern scan', 'none'],
  [130, 'Start pattern', 'none'],
  [131, 'Stop pattern', 'stop'],
  [132, 'Call pattern', 'none'],
  [200, 'Initialize PTZ parameters', 'none'],
];

/** Spread user slots over the room so recalls move the camera (deterministic per slot). */
function spot(n: number): Vec {
  return { pan: ((n * 37) % 200) / 100 - 1, tilt: ((n * 11) % 100) / 100 - 0.5, zoom: ((n * 7) % 50) / 100 };
}

/**
 * Fills `model` like a Hikvision dome: slots 1..`used` taken (function slots named as above, others
 * "Preset N"), slots above `used` free for SetPreset. Default 280 of 300, so a client can still store one.
 */
export function seedHikvisionPresets(model: PtzModel, used = 280): void {
  model.clearPresets();
  const fn = new Map(HIKVISION_FUNCTION_SLOTS.map(([n, name, action]) => [n, { name, action }]));
  for (let n = 1; n <= used; n++) {
    const f = fn.get(n);
    if (f) model.setPreset(f.name, String(n), model.clamp({ pan: 0, tilt: 0, zoom: 0 }), f.action);
    else model.setPreset(`Preset ${n}`, String(n), model.clamp(spot(n)));
  }
}
