import type { ConfigProblem } from './config-error.js';
import type { Config } from './room-schema.js';
import { audioFollowProblems } from './room-audio-follow-check.js';
import { duplicateTokens } from './preset-names.js';

// What the schema cannot say: ids unique, a driver's own section present (schema errors: common/config).

export function crossFieldProblems(config: Config): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const ids = new Set<string>();
  config.cameras.forEach((cam, i) => {
    if (ids.has(cam.id)) problems.push({ path: `/cameras/${i}/id`, message: `duplicate camera id "${cam.id}"` });
    ids.add(cam.id);
    for (const token of duplicateTokens(cam.presetNames))
      problems.push({ path: `/cameras/${i}/presetNames`, message: `preset token "${token}" named twice`, hint: 'one name per token' });
    if (cam.driver === 'onvif' && !cam.onvif)
      problems.push({
        path: `/cameras/${i}/onvif`,
        message: 'driver "onvif" needs an "onvif" section',
        hint: 'add {"xaddr": ..., "username": ..., "password": ...}',
      });
    if (cam.driver === 'visca' && !cam.visca)
      problems.push({
        path: `/cameras/${i}/visca`,
        message: 'driver "visca" needs a "visca" section',
        hint: 'add {"path": "/dev/ttyUSB0"}',
      });
  });
  const channels = new Set<string>();
  config.audio.channels.forEach((ch, i) => {
    if (channels.has(ch.id)) problems.push({ path: `/audio/channels/${i}/id`, message: `duplicate channel id "${ch.id}"` });
    channels.add(ch.id);
  });
  problems.push(...audioFollowProblems(config));
  return problems;
}
