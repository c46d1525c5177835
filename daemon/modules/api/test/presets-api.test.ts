import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRootLogger } from '../../../../common/log.js';
import type { PtzPreset } from '../../../drivers/ptz/ptz-driver.js';
import { SimPtz } from '../../../drivers/ptz/sim-ptz.js';
import { apiFixture, REMOTE, TOKENS } from './api-fixture.js';

// Issue 11, preset policy: a real PTZ dome lists ~300 presets, vendor function presets among them (Hikvision's
// special presets: 94 remote reboot, 95 call OSD menu, 99 start auto scan — the ONVIF driver flags them, see
// daemon/drivers/ptz/onvif/function-presets.ts). The sim camera below reports its list the same way.
const FUNCTIONS: Record<string, string> = { '94': 'remote reboot', '95': 'call OSD menu', '99': 'start auto scan' };

class DomeSim extends SimPtz {
  readonly recalled: string[] = [];
  listed = 0;
  async presets(): Promise<PtzPreset[]> {
    this.listed++;
    return (await super.presets()).map((p) => (FUNCTIONS[p.token] ? { ...p, function: FUNCTIONS[p.token] } : p));
  }
  async gotoPreset(token: string, speed?: number) {
    this.recalled.push(token);
    await super.gotoPreset(token, speed);
  }
}

const at = (n: number) => ({ pan: ((n % 21) - 10) / 10, tilt: ((n % 11) - 5) / 10, zoom: (n % 10) / 10 });
const presets = Array.from({ length: 300 }, (_, i) => ({ token: String(i + 1), name: `Preset ${i + 1}`, position: at(i + 1) }));
// Commissioning: officers' order is not the camera's; 94 named by mistake; 400 named but never stored on the camera.
const NAMED = [
  { token: '12', name: 'Toàn cảnh · Whole room' },
  { token: '3', name: 'Bàn công dân · Citizen' },
  { token: '94', name: 'Nhầm: khởi động lại' },
  { token: '400', name: 'Tài liệu · Documents' },
];
const bearer = (t: string) => ({ ...REMOTE, headers: { authorization: `Bearer ${t}` } });

describe('preset policy: officers see and recall the named presets, technicians see all', () => {
  let f: Awaited<ReturnType<typeof apiFixture>>;
  let dome: DomeSim;
  const logged: Array<{ level: number; msg: string; token?: string; function?: string }> = [];
  const log = new Writable({
    write(chunk, _enc, done) {
      logged.push(JSON.parse(String(chunk)));
      done();
    },
  });
  beforeAll(async () => {
    dome = new DomeSim({ id: 'cam1', timeoutMs: 1500, presets });
    f = await apiFixture('monitor', createRootLogger('daemon', 'warn', log), { driver: dome, presetNames: NAMED });
  });
  afterAll(() => f.close());
  const position = async () => (await f.app.inject({ url: '/api/v1/cameras/cam1/status', ...bearer(TOKENS.officer) })).json().position;

  it('officers and monitors see only the named presets the camera holds, in config order, config names, no function preset', async () => {
    for (const who of [TOKENS.officer, TOKENS.monitor]) {
      const res = await f.app.inject({ url: '/api/v1/cameras/cam1/presets', ...bearer(who) });
      expect(res.statusCode).toBe(200);
      expect(res.json().map((p: PtzPreset) => [p.token, p.name])).toEqual([
        ['12', 'Toàn cảnh · Whole room'],
        ['3', 'Bàn công dân · Citizen'],
      ]);
    }
    // Told once, for the technician: the named 94 is a function slot, the named 400 is not on the camera.
    expect(logged.filter((l) => l.level === 40).map((l) => [l.token, l.function, l.msg])).toEqual([
      ['94', 'remote reboot', 'named preset is a vendor function preset: not shown to officers'],
      ['400', undefined, 'named preset is not on the camera: not shown to officers'],
    ]);
    const all = await f.app.inject({ url: '/api/v1/cameras/cam1/presets?view=all', ...bearer(TOKENS.officer) });
    expect(all.statusCode).toBe(403);
    expect(all.json().message).toMatch(/^chỉ kỹ thuật viên .* \/ only technicians/);
  });

  it('technicians see every preset with function and named flags, and the named one the camera lacks', async () => {
    const res = await f.app.inject({ url: '/api/v1/cameras/cam1/presets', ...bearer(TOKENS.technician) });
    expect(res.statusCode).toBe(200);
    const list = res.json() as Array<PtzPreset & { named?: boolean; missing?: boolean }>;
    expect(list).toHaveLength(301);
    expect(list.find((p) => p.token === '94')).toMatchObject({ function: 'remote reboot', named: true, name: 'Nhầm: khởi động lại' });
    expect(list.find((p) => p.token === '95')).toMatchObject({ function: 'call OSD menu', named: false, name: 'Preset 95' });
    expect(list.find((p) => p.token === '12')).toMatchObject({ named: true, name: 'Toàn cảnh · Whole room' });
    expect(list.at(-1)).toEqual({ token: '400', name: 'Tài liệu · Documents', named: true, missing: true });
    const named = await f.app.inject({ url: '/api/v1/cameras/cam1/presets?view=named', ...bearer(TOKENS.technician) });
    expect(named.json().map((p: PtzPreset) => p.token)).toEqual(['12', '3']);
  });

  it('an officer recalls a named preset and the camera gets there', async () => {
    const res = await f.app.inject({ method: 'POST', url: '/api/v1/cameras/cam1/presets/12/goto', ...bearer(TOKENS.officer) });
    expect(res.statusCode).toBe(200);
    await expect.poll(position, { timeout: 10_000 }).toEqual(at(12));
  });

  it('an officer may not recall a preset the room did not name (404), even one the camera holds, and the camera is not asked', async () => {
    dome.setOffline(true); // not asked: a 404, not a 503
    const res = await f.app.inject({ method: 'POST', url: '/api/v1/cameras/cam1/presets/7/goto', ...bearer(TOKENS.officer) });
    dome.setOffline(false);
    expect(res.statusCode).toBe(404);
    expect(res.json().message).toMatch(
      /^camera "cam1" không có vị trí đặt sẵn "7" cho cán bộ .* \/ camera "cam1" has no officer preset "7"/,
    );
    expect(dome.recalled).not.toContain('7');
  });

  it('a function preset is never recalled by an officer, even when named (403 with the reason), and it is audited', async () => {
    const res = await f.app.inject({ method: 'POST', url: '/api/v1/cameras/cam1/presets/94/goto', ...bearer(TOKENS.officer) });
    expect(res.statusCode).toBe(403);
    expect(res.json().message).toMatch(
      /chức năng của hãng \(remote reboot\), cán bộ không được gọi \/ .* vendor function \(remote reboot\)/,
    );
    expect(dome.recalled).not.toContain('94');
    await expect // written once the reply is out
      .poll(async () => (await f.audit.recent(1))[0], { timeout: 5000 })
      .toMatchObject({ action: 'camera.preset.goto', status: 403, result: 'refused', target: { camera: 'cam1', token: '94' } });
  });

  it('a named preset the camera no longer holds: 404 saying a technician must store it', async () => {
    const res = await f.app.inject({ method: 'POST', url: '/api/v1/cameras/cam1/presets/400/goto', ...bearer(TOKENS.officer) });
    expect(res.statusCode).toBe(404);
    expect(res.json().message).toMatch(/no longer holds preset "400" \(Tài liệu · Documents\): a technician must store it again/);
  });

  it('a recall right after the kiosk listed the presets asks the camera once; a preset stored meanwhile is recalled at once', async () => {
    await f.app.inject({ url: '/api/v1/cameras/cam1/presets', ...bearer(TOKENS.officer) });
    const before = dome.listed;
    let res = await f.app.inject({ method: 'POST', url: '/api/v1/cameras/cam1/presets/3/goto', ...bearer(TOKENS.officer) });
    expect(res.statusCode).toBe(200);
    expect(dome.listed).toBe(before); // GotoPreset only, no second GetPresets
    res = await f.app.inject({
      method: 'POST',
      url: '/api/v1/cameras/cam1/presets',
      ...bearer(TOKENS.technician),
      payload: { name: 'Mới' },
    });
    expect(res.statusCode).toBe(201);
    const { token } = res.json();
    res = await f.app.inject({ method: 'POST', url: `/api/v1/cameras/cam1/presets/${token}/goto`, ...bearer(TOKENS.technician) });
    expect(res.statusCode).toBe(200);
    expect(dome.recalled.at(-1)).toBe(token);
  });

  it('a technician recalls any preset; a function preset only with confirm=true', async () => {
    let res = await f.app.inject({ method: 'POST', url: '/api/v1/cameras/cam1/presets/7/goto', ...bearer(TOKENS.technician) });
    expect(res.statusCode).toBe(200);
    res = await f.app.inject({ method: 'POST', url: '/api/v1/cameras/cam1/presets/95/goto', ...bearer(TOKENS.technician) });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ field: 'confirm', code: 'INVALID_REQUEST' });
    expect(res.json().message).toMatch(/vendor function \(call OSD menu\): send \?confirm=true to run it/);
    expect(dome.recalled).not.toContain('95');
    res = await f.app.inject({ method: 'POST', url: '/api/v1/cameras/cam1/presets/95/goto?confirm=true', ...bearer(TOKENS.technician) });
    expect(res.statusCode).toBe(200);
    expect(dome.recalled).toContain('95');
    res = await f.app.inject({ method: 'POST', url: '/api/v1/cameras/cam1/presets/999/goto', ...bearer(TOKENS.technician) });
    expect(res.statusCode).toBe(404);
    expect(res.json().message).toMatch(/camera "cam1" has no preset "999"/);
  });
});
