import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FOLLOW, followRig, SHOTS } from './test/follow-rig.js';

// The module on fake timers (its tick, the meters' period, the camera's moves): what it does with the camera,
// the audit log, a manual move, an officer's switch, an offline camera and silent meters.

const QUIET = -60;
const TALK = -20;
type Rig = ReturnType<typeof followRig>;

describe('audio-follow module', () => {
  let r: Rig;
  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'] });
  });
  afterEach(async () => {
    await r?.close();
    vi.useRealTimers();
  });
  const start = async (config = FOLLOW) => {
    r = followRig(config);
    await r.cam.start();
    await r.follow.start();
    r.level('citizen', QUIET);
    r.level('officer', QUIET);
  };
  const run = (ms: number) => vi.advanceTimersByTimeAsync(ms);

  it('moves the camera to the talker, audits every automatic move, and tells the bus', async () => {
    await start();
    const ptz: string[] = [];
    r.bus.on('ptz', (e) => ptz.push(`${e.by}: ${e.action}`));
    r.level('citizen', TALK);
    await run(1500);
    expect(r.recalled).toEqual(['Citizen']);
    await run(3000); // the camera drives there (~1 s at full speed)
    expect(r.cam.model.position()).toMatchObject({ pan: SHOTS.Citizen.pan, zoom: SHOTS.Citizen.zoom });
    r.level('citizen', QUIET);
    r.level('officer', TALK);
    await run(1500);
    expect(r.recalled).toEqual(['Citizen', 'Officer']);
    expect(ptz).toEqual(['audio-follow: preset Citizen', 'audio-follow: preset Officer']);
    expect(r.audit.map((a) => [a.actor, a.action, a.target, a.request, a.status, a.result])).toEqual([
      ['audio-follow', 'camera.preset.auto', { camera: 'cam1', token: 'Citizen' }, { cause: 'talker', channels: ['citizen'] }, 200, 'ok'],
      ['audio-follow', 'camera.preset.auto', { camera: 'cam1', token: 'Officer' }, { cause: 'talker', channels: ['officer'] }, 200, 'ok'],
    ]);
    const s = r.follow.state();
    expect(s).toMatchObject({ mode: 'auto', camera: 'cam1', talking: ['officer'], moves: 2, last: { preset: 'Officer', ok: true } });
    expect(s.health.state).toBe('online');
  });

  it('never recalls a vendor function preset automatically (a rule naming slot "Officer" that the camera flags as one)', async () => {
    await start();
    const list = r.cam.presets.bind(r.cam);
    r.cam.presets = async () => (await list()).map((p) => (p.token === 'Officer' ? { ...p, function: 'Remote reboot' } : p));
    r.level('officer', TALK);
    await run(1500);
    expect(r.recalled).toEqual([]);
    expect(r.audit.map((a) => [a.target, a.status])).toEqual([[{ camera: 'cam1', token: 'Officer' }, 403]]);
    expect(r.follow.state().last).toMatchObject({ preset: 'Officer', ok: false, error: expect.stringMatching(/Remote reboot/) });
  });

  it('a manual move pauses following for manualPauseSeconds, then it re-frames the talker', async () => {
    await start();
    r.level('citizen', TALK);
    await run(1500);
    r.bus.emit('ptz', { camera: 'cam1', action: 'preset Room', by: 'kiosk-officer' }); // what the preset route emits
    r.level('citizen', QUIET);
    r.level('officer', TALK);
    await run(10_000);
    expect(r.follow.state()).toMatchObject({ mode: 'paused', pausedUntil: expect.any(String) });
    expect(r.recalled).toEqual(['Citizen']);
    await run(FOLLOW.manualPauseSeconds * 1000);
    expect(r.follow.state().mode).toBe('auto');
    expect(r.recalled).toEqual(['Citizen', 'Officer']);
    r.bus.emit('ptz', { camera: 'cam2', action: 'home', by: 'kiosk-officer' }); // another camera: no pause
    expect(r.follow.state().mode).toBe('auto');
  });

  it('an officer switches it off (no move) and on again (the talker re-framed at once, the pause lifted)', async () => {
    await start();
    expect(r.follow.setAuto(false, 'kiosk-officer').mode).toBe('off');
    r.level('citizen', TALK);
    await run(10_000);
    expect(r.recalled).toEqual([]);
    expect(r.follow.setAuto(true, 'kiosk-officer').mode).toBe('auto');
    await run(300);
    expect(r.recalled).toEqual(['Citizen']);
  });

  it('an offline camera: the failed move is audited naming camera and preset, health says so, retried after holdMs', async () => {
    await start();
    r.cam.setOffline(true);
    r.level('citizen', TALK);
    await run(1500);
    expect(r.audit.at(-1)).toMatchObject({
      result: 'failed',
      status: 503,
      error: expect.stringMatching(/camera cam1, preset Citizen: .*unavailable/),
    });
    expect(r.follow.state().health).toMatchObject({ state: 'online', lastError: expect.stringContaining('camera cam1, preset Citizen') });
    r.cam.setOffline(false);
    await run(FOLLOW.holdMs + 200);
    expect(r.recalled).toEqual(['Citizen']);
    expect(r.audit.at(-1)).toMatchObject({ result: 'ok', target: { token: 'Citizen' } });
    expect(r.follow.state().health.lastError).toBeUndefined();
  });

  it('silent meters: health offline naming the channels; one silent channel named while the other is followed', async () => {
    await start();
    r.level('citizen', null);
    r.level('officer', null);
    await run(2000);
    expect(r.follow.state().health).toMatchObject({ state: 'offline', lastError: 'no meter reading from channel citizen, officer' });
    r.level('officer', TALK);
    await run(1500);
    expect(r.follow.state().health).toMatchObject({ state: 'online', lastError: 'no meter reading from channel citizen' });
    expect(r.recalled).toEqual(['Officer']);
  });

  it('off in config: nothing listens, health stopped, officers cannot switch it on (409, Vietnamese first)', async () => {
    await start({ ...FOLLOW, enabled: false });
    r.level('citizen', TALK);
    await run(10_000);
    expect(r.recalled).toEqual([]);
    expect(r.follow.state()).toMatchObject({ mode: 'disabled', camera: null, health: { state: 'stopped' } });
    expect(() => r.follow.setAuto(true, 'x')).toThrow(/^Camera tự động theo người nói đang tắt/);
  });
});
