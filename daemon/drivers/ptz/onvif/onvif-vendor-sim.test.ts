import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePresets, parseSoap } from '../../../../common/protocols/onvif/index.js';
import { HIKVISION_FUNCTION_SLOTS } from '../../../../simulators/onvif-camera/ptz-vendor-presets.js';

// The simulator's Hikvision dome against the two recorded ones (common/protocols/onvif/fixtures/README.md):
// every slot a real dome names with a function, the simulator names the same way, so what the driver
// recognises on the simulator it recognises on the camera.
const presets = (name: string) =>
  parsePresets(parseSoap(readFileSync(new URL(`../../../../common/protocols/onvif/fixtures/${name}`, import.meta.url), 'utf8')).body);

/** Slots a recording names with a function: not empty, not the default "Preset N"/"preset N", not a site name. */
const functionSlots = (name: string, siteTokens: number) =>
  presets(name).filter((p) => Number(p.token) > siteTokens && p.name !== '' && !/^preset \d+$/i.test(p.name));

describe('simulated Hikvision function presets match the recorded domes', () => {
  const sim = new Map(HIKVISION_FUNCTION_SLOTS.map(([n, name]) => [String(n), name]));

  it.each([
    ['hikvision-ds2df7286-get-presets.xml', 11, 27], // 2016 firmware: slots 1–11 named by the site
    ['hikvision-ds2df7276-get-presets.xml', 5, 26], // 2014 firmware: slots 1–5 named by the site
  ])('%s', (file, siteTokens, count) => {
    const recorded = functionSlots(file, siteTokens);
    expect(recorded).toHaveLength(count);
    expect(recorded.filter((p) => sim.get(p.token) !== p.name).map((p) => `${p.token} ${p.name} ≠ ${sim.get(p.token)}`)).toEqual([]);
  });
});
