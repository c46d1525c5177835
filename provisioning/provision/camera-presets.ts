import { mkdir } from 'node:fs/promises';
import type { OnvifPtz } from '../../daemon/drivers/ptz/onvif-ptz.js';
import type { PtzVector } from '../../daemon/drivers/ptz/ptz-driver.js';
import { moveAndSettle, parseVector } from './camera-ptz.js';
import { snapshot } from './camera-stream.js';
import type { Ctx } from './context.js';
import { check } from './progress.js';

// The room's named presets: the camera is moved to each view (typed as "pan tilt zoom", or from the answers
// file), the view stored on the camera (SetPreset) and a snapshot taken — the technician looks at it (its
// path is printed; the kiosk's preview shows the same picture) and the report embeds it. Officers then see
// these presets only, with these names (cameras[].presetNames).

interface Wanted {
  name: string;
  position: PtzVector;
}

const parsePresets = (v: unknown): Wanted[] => {
  if (!Array.isArray(v)) throw new Error('một danh sách [{name, pan, tilt, zoom}] / a list of {"name", "pan", "tilt", "zoom"}');
  return v.map((p, i) => {
    const o = p as Record<string, unknown>;
    if (typeof o?.name !== 'string' || o.name.trim().length < 1 || o.name.length > 64)
      throw new Error(`mục ${i}: "name" 1–64 ký tự / item ${i}: "name" of 1–64 characters`);
    return { name: o.name.trim(), position: parseVector(o) };
  });
};

async function wantedPresets(ctx: Ctx, cam: OnvifPtz): Promise<Wanted[]> {
  if (!ctx.ask.interactive)
    return ctx.ask.ask({ key: 'cameras.presets', vi: 'Các vị trí đặt sẵn', en: 'Named presets', parse: parsePresets });
  const out: Wanted[] = [];
  for (;;) {
    const name = await ctx.ask.ask({
      key: 'preset.name',
      vi: `Tên vị trí đặt sẵn thứ ${out.length + 1} (trống: xong)`,
      en: `Name of preset ${out.length + 1} (empty: done)`,
      default: '',
    });
    if (!name) return out;
    const here = (await cam.status()).position;
    const position = await ctx.ask.ask({
      key: 'preset.position',
      vi: 'Vị trí "pan tilt zoom"',
      en: 'Position "pan tilt zoom"',
      default: here,
      parse: parseVector,
    });
    out.push({ name: name.slice(0, 64), position });
  }
}

export async function storePresets(ctx: Ctx, cam: OnvifPtz, rtsp: string, dir: string) {
  await mkdir(dir, { recursive: true });
  const wanted = await wantedPresets(ctx, cam);
  const named: { token: string; name: string }[] = [];
  const shots: { name: string; token: string; position: PtzVector; jpeg: string | null }[] = [];
  const checks = [];
  for (const w of wanted) {
    try {
      const went = await moveAndSettle(cam, w.position);
      // A preset of that name already on the camera (an installer's, an earlier commissioning) is overwritten
      // in place: cameras refuse a second one with the same name (PresetExist).
      const existing = (await cam.presets()).find((p) => p.name === w.name && !p.function);
      const token = await cam.setPreset(w.name, existing?.token);
      const file = `${dir}/preset-${token.replace(/[^A-Za-z0-9_-]/g, '_')}.jpg`;
      const jpeg = await snapshot(rtsp, file).then(
        () => file,
        (e: Error) => (ctx.ask.say(`Không chụp được ảnh: ${e.message}`, `no snapshot: ${e.message}`), null),
      );
      if (jpeg) ctx.ask.say(`Ảnh vị trí "${w.name}": ${jpeg}`, `snapshot of "${w.name}": ${jpeg}`);
      named.push({ token, name: w.name });
      shots.push({ name: w.name, token, position: went.at, jpeg });
      checks.push(
        check(
          'cameras',
          `${cam.id}: vị trí "${w.name}" / preset "${w.name}"`,
          jpeg !== null,
          `token ${token}, pan ${went.at.pan.toFixed(2)} tilt ${went.at.tilt.toFixed(2)} zoom ${went.at.zoom.toFixed(2)}, reached in ${went.ms} ms${jpeg ? '' : ', no snapshot'}`,
        ),
      );
    } catch (err) {
      checks.push(check('cameras', `${cam.id}: vị trí "${w.name}" / preset "${w.name}"`, false, (err as Error).message));
    }
  }
  if (wanted.length === 0)
    checks.push(check('cameras', `${cam.id}: vị trí đặt sẵn / named presets`, false, 'none stored: officers would have no view to choose'));
  return { named, shots, checks };
}
