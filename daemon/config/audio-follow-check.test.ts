import { describe, expect, it } from 'vitest';
import { ConfigError, validateConfig } from './load-config.js';

const problems = (audioFollow: unknown, audio?: unknown) => {
  try {
    validateConfig({ audioFollow, ...(audio ? { audio } : {}) });
    return [];
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return e.message;
  }
};

describe('config audioFollow', () => {
  it('is off by default, with the thresholds and times of the README', () => {
    const c = validateConfig({});
    expect(c.audioFollow).toMatchObject({
      enabled: false,
      rules: [],
      onDb: -35,
      offDb: -45,
      talkMs: 800,
      holdMs: 4000,
      manualPauseSeconds: 60,
    });
  });

  it('enabled: names a camera and channels that exist, a whole-room preset, rules; refuses offDb above onDb', () => {
    expect(problems({ enabled: true, camera: 'cam9', rules: [], roomPreset: '' })).toMatch(
      /audioFollow\/camera.*no camera "cam9"[\s\S]*audioFollow\/rules[\s\S]*audioFollow\/roomPreset/,
    );
    expect(problems({ enabled: true, rules: [{ channel: 'nope', preset: '1' }], roomPreset: '2' })).toMatch(/no audio channel "nope"/);
    expect(problems({ onDb: -50, offDb: -40 })).toMatch(/audioFollow\/offDb/);
    expect(problems({ enabled: true, rules: [{ channel: 'mic', preset: '1' }], roomPreset: '2' })).toEqual([]);
  });

  it('a Tesira channel without a meter cannot be followed', () => {
    const audio = { driver: 'tesira', channels: [{ id: 'mic', name: 'Mic', muteTag: 'Mute1', levelTag: 'Level1', index: 1 }] };
    expect(problems({ enabled: true, rules: [{ channel: 'mic', preset: '1' }], roomPreset: '2' }, audio)).toMatch(/"mic" has no meterTag/);
  });
});
