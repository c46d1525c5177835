import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frameDifference, grabGrayFrame } from '../helpers/frame-grab.js';
import { json, startRoomProcesses } from '../helpers/room-processes.js';

// The whole room as processes: `reception sim` (ONVIF camera with its RTSP picture, VISCA camera,
// Tesira DSP on ptys) and `reception daemon` driving them, exercised only through HTTP.
const PIN = '2468';

describe('e2e: preset recall through the daemon moves the simulated camera and its picture', () => {
  let room: Awaited<ReturnType<typeof startRoomProcesses>>;
  beforeAll(async () => {
    room = await startRoomProcesses({ kioskPin: PIN });
  }, 60_000);
  afterAll(async () => {
    await room?.stop();
  });

  const status = async () => (await json(`${room.api}/api/v1/cameras/cam1/status`)).body;
  const waitIdle = () =>
    expect.poll(async () => Object.values((await status()).moveStatus).join(), { timeout: 10_000, interval: 200 }).toBe('IDLE,IDLE');

  it('all devices come online', async () => {
    await expect.poll(async () => (await json(`${room.api}/api/v1/health`)).body.status, { timeout: 15_000, interval: 250 }).toBe('ok');
  });

  it("officers see and recall the room's named presets only, of the dome's ~280; technicians see them all", async () => {
    const unlocked = await json(`${room.api}/api/v1/kiosk/unlock`, { method: 'POST', body: JSON.stringify({ pin: PIN }) });
    expect(unlocked.status).toBe(200);
    const officer = { headers: { authorization: `Bearer ${unlocked.body.token}` } };
    const named = await json(`${room.api}/api/v1/cameras/cam1/presets`, officer);
    expect(named.status).toBe(200);
    expect(named.body.map((p: { name: string }) => p.name)).toEqual([
      'Công dân · Citizen',
      'Toàn cảnh · Whole room',
      'Tài liệu · Documents',
    ]);
    const all = await json(`${room.api}/api/v1/cameras/cam1/presets`); // loopback: technician here
    expect(all.body.length).toBeGreaterThanOrEqual(280);
    expect(all.body.filter((p: { named?: boolean }) => p.named).map((p: { token: string }) => p.token)).toEqual(['1', '2', '3']);
    // The camera holds slot 95 ("Call OSD menu"); the room never named it: an officer cannot reach it.
    expect(all.body.find((p: { token: string }) => p.token === '95')?.name).toBe('Call OSD menu');
    const refused = await json(`${room.api}/api/v1/cameras/cam1/presets/95/goto`, { method: 'POST', body: '{}', ...officer });
    expect(refused.status).toBe(404);
    expect(refused.body.message).toMatch(/camera "cam1" has no officer preset "95"/);
    const recall = await json(`${room.api}/api/v1/cameras/cam1/presets/2/goto`, { method: 'POST', body: '{}', ...officer });
    expect(recall.status).toBe(200);
    await waitIdle();
    // The ONVIF driver flags the dome's function slots; a technician runs one only deliberately.
    expect(all.body.find((p: { token: string }) => p.token === '95')?.function).toMatch(/Call OSD menu/);
    expect(all.body.filter((p: { function?: string }) => p.function).length).toBeGreaterThanOrEqual(20);
    const unconfirmed = await json(`${room.api}/api/v1/cameras/cam1/presets/95/goto`, { method: 'POST', body: '{}' });
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.body).toMatchObject({ field: 'confirm' });
    expect((await json(`${room.api}/api/v1/cameras/cam1/presets/95/goto?confirm=true`, { method: 'POST', body: '{}' })).status).toBe(200);
  }, 30_000);

  it('recalls a preset: GetStatus reaches it and the picture changes', async () => {
    const spot = { pan: 0.7, tilt: 0.4, zoom: 0.6 };
    expect(
      (await json(`${room.api}/api/v1/cameras/cam1/move/absolute`, { method: 'POST', body: JSON.stringify({ position: spot }) })).status,
    ).toBe(200);
    await waitIdle();
    const created = await json(`${room.api}/api/v1/cameras/cam1/presets`, {
      method: 'POST',
      body: JSON.stringify({ name: 'Bàn công dân' }),
    });
    expect(created.status).toBe(201);
    expect((await json(`${room.api}/api/v1/cameras/cam1/home`, { method: 'POST', body: '{}' })).status).toBe(200);
    await waitIdle();
    const rtsp = room.sim.ready.onvif.rtsp!;
    const atHome = await grabGrayFrame(rtsp);
    const again = await grabGrayFrame(rtsp);

    const recall = await json(`${room.api}/api/v1/cameras/cam1/presets/${created.body.token}/goto`, { method: 'POST', body: '{}' });
    expect(recall.status).toBe(200);
    expect((await status()).moveStatus.panTilt).toBe('MOVING');
    await waitIdle();
    const pos = (await status()).position;
    expect(pos.pan).toBeCloseTo(spot.pan, 2);
    expect(pos.tilt).toBeCloseTo(spot.tilt, 2);
    expect(pos.zoom).toBeCloseTo(spot.zoom, 2);
    // The simulator's own view of its mechanics agrees with what the daemon read over ONVIF.
    const sims = (await json(`${room.sim.ready.control}/sims`)).body;
    expect(sims.onvif.state.position.pan).toBeCloseTo(spot.pan, 2);

    await new Promise((r) => setTimeout(r, 500)); // the picture follows within a few frames
    const atPreset = await grabGrayFrame(rtsp);
    const noise = frameDifference(atHome, again);
    const moved = frameDifference(atHome, atPreset);
    expect(moved).toBeGreaterThan(Math.max(10, noise * 3));
  }, 60_000);

  it('controls the VISCA camera and the Tesira DSP through the same API', async () => {
    expect(
      (
        await json(`${room.api}/api/v1/cameras/cam2/move/absolute`, {
          method: 'POST',
          body: JSON.stringify({ position: { pan: -0.3, tilt: 0.1, zoom: 0.2 } }),
        })
      ).status,
    ).toBe(200);
    await expect
      .poll(async () => (await json(`${room.api}/api/v1/cameras/cam2/status`)).body.moveStatus?.panTilt, { timeout: 10_000, interval: 200 })
      .toBe('IDLE');
    expect((await json(`${room.api}/api/v1/cameras/cam2/status`)).body.position.pan).toBeCloseTo(-0.3, 1);
    expect(
      (await json(`${room.api}/api/v1/audio/channels/mic/mute`, { method: 'POST', body: JSON.stringify({ muted: true }) })).status,
    ).toBe(200);
    const channels = (await json(`${room.api}/api/v1/audio/channels`)).body;
    expect(channels.find((c: { id: string }) => c.id === 'mic').muted).toBe(true);
  }, 30_000);

  it('a camera taken offline answers 503 in under 2 s and the daemon keeps serving', async () => {
    await json(`${room.sim.ready.control}/sims/onvif/faults`, { method: 'POST', body: JSON.stringify({ offline: true }) });
    const t0 = Date.now();
    const res = await json(`${room.api}/api/v1/cameras/cam1/status`);
    expect(res.status).toBe(503);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect((await json(`${room.api}/api/v1/cameras/cam2/status`)).status).toBe(200);
    await json(`${room.sim.ready.control}/sims/onvif/faults`, { method: 'POST', body: JSON.stringify({ offline: false }) });
    await expect
      .poll(async () => (await json(`${room.api}/api/v1/cameras/cam1/status`)).status, { timeout: 15_000, interval: 300 })
      .toBe(200);
  }, 30_000);
});
