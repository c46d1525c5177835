import type { ConfigProblem } from './config-error.js';
import type { Config } from './room-schema.js';

// What the schema cannot say about `audioFollow`: it names a camera and channels that exist, every
// channel it follows has a meter, and the whole-room shot is set. Checked only when it is enabled.

export function audioFollowProblems(config: Config): ConfigProblem[] {
  const f = config.audioFollow;
  const problems: ConfigProblem[] = [];
  if (f.offDb > f.onDb)
    problems.push({ path: '/audioFollow/offDb', message: `offDb ${f.offDb} is above onDb ${f.onDb} (hysteresis needs offDb ≤ onDb)` });
  if (!f.enabled) return problems;
  if (!config.cameras.some((c) => c.id === f.camera))
    problems.push({
      path: '/audioFollow/camera',
      message: `no camera "${f.camera}"; known: ${config.cameras.map((c) => c.id).join(', ')}`,
    });
  if (f.rules.length === 0)
    problems.push({
      path: '/audioFollow/rules',
      message: 'no rule: which microphone shows which preset?',
      hint: 'add {"channel": "mic", "preset": "1"}',
    });
  if (!f.roomPreset)
    problems.push({ path: '/audioFollow/roomPreset', message: 'the whole-room preset is not set (several talkers, silence)' });
  // Preset policy (daemon/config/preset-names.ts): the camera moves by itself only to the room's named shots,
  // never to a token nobody named (on a PTZ dome that may be a vendor function: reboot, OSD menu, scan).
  const cam = config.cameras.find((c) => c.id === f.camera);
  const named = (token: string, path: string) =>
    cam && token && !cam.presetNames.some((p) => p.token === token)
      ? problems.push({
          path,
          message: `preset "${token}" is not one of camera "${cam.id}"'s named presets`,
          hint: 'name it in cameras[].presetNames',
        })
      : 0;
  named(f.roomPreset, '/audioFollow/roomPreset');
  f.rules.forEach((r, i) => named(r.preset, `/audioFollow/rules/${i}/preset`));
  const seen = new Set<string>();
  f.rules.forEach((r, i) => {
    const ch = config.audio.channels.find((c) => c.id === r.channel);
    if (seen.has(r.channel)) problems.push({ path: `/audioFollow/rules/${i}/channel`, message: `channel "${r.channel}" has two rules` });
    seen.add(r.channel);
    if (!ch)
      problems.push({
        path: `/audioFollow/rules/${i}/channel`,
        message: `no audio channel "${r.channel}"; known: ${config.audio.channels.map((c) => c.id).join(', ')}`,
      });
    else if (config.audio.driver === 'tesira' && !ch.meterTag)
      problems.push({
        path: `/audioFollow/rules/${i}/channel`,
        message: `audio channel "${r.channel}" has no meterTag: nothing to follow`,
      });
  });
  return problems;
}
