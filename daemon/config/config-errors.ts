import type { ValueError } from '@sinclair/typebox/value';
import type { Config } from './schema.js';

// Turns schema errors into "path + message + hint" a technician can act on.

export function describeSchemaError(e: ValueError): { path: string; message: string; hint?: string } {
  const s = e.schema as { description?: string; enum?: unknown[]; anyOf?: { const?: unknown }[]; pattern?: string };
  const choices = s.anyOf?.map((x) => x.const).filter((c) => c !== undefined) ?? s.enum;
  let hint = choices?.length ? `one of ${choices.map((c) => JSON.stringify(c)).join(', ')}` : undefined;
  if (!hint && s.pattern) hint = `must match ${s.pattern}`;
  if (!hint && e.message.startsWith('Unexpected property')) hint = 'remove it or check its spelling';
  if (s.description) hint = hint ? `${hint}; ${s.description}` : s.description;
  return { path: e.path, message: `${e.message} (got ${JSON.stringify(e.value)})`, hint };
}

export function crossFieldProblems(config: Config): { path: string; message: string; hint?: string }[] {
  const problems: { path: string; message: string; hint?: string }[] = [];
  const ids = new Set<string>();
  config.cameras.forEach((cam, i) => {
    if (ids.has(cam.id)) problems.push({ path: `/cameras/${i}/id`, message: `duplicate camera id "${cam.id}"` });
    ids.add(cam.id);
    if (cam.driver === 'onvif' && !cam.onvif) problems.push({ path: `/cameras/${i}/onvif`, message: 'driver "onvif" needs an "onvif" section', hint: 'add {"xaddr": ..., "username": ..., "password": ...}' });
    if (cam.driver === 'visca' && !cam.visca) problems.push({ path: `/cameras/${i}/visca`, message: 'driver "visca" needs a "visca" section', hint: 'add {"path": "/dev/ttyUSB0"}' });
  });
  const channels = new Set<string>();
  config.audio.channels.forEach((ch, i) => {
    if (channels.has(ch.id)) problems.push({ path: `/audio/channels/${i}/id`, message: `duplicate channel id "${ch.id}"` });
    channels.add(ch.id);
  });
  return problems;
}
