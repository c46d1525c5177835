// The shots a technician stores at installation, in the order officers should see them: the simulated room's
// cameras and the in-process sim camera (`cameras[].driver: "sim"`) hold them, and the default and demo configs
// name them (`cameras[].presetNames`), so `reception config init` and `reception demo` give officers presets.
export const INSTALLER_PRESETS = [
  { token: '1', name: 'Công dân · Citizen', position: { pan: 0.15, tilt: -0.1, zoom: 0.45 } },
  { token: '2', name: 'Toàn cảnh · Whole room', position: { pan: 0, tilt: 0, zoom: 0 } },
  { token: '3', name: 'Tài liệu · Documents', position: { pan: -0.35, tilt: -0.45, zoom: 0.7 } },
] as const;

/** `presetNames` naming the installer shots, in their order. */
export const installerPresetNames = () => INSTALLER_PRESETS.map(({ token, name }) => ({ token, name }));
