import { mkdir } from 'node:fs/promises';
import type { OnvifPtz } from '../../daemon/drivers/ptz/onvif-ptz.js';
import type { PtzVector } from '../../daemon/drivers/ptz/ptz-driver.js';
import { moveAndSettle, parseVector } from './camera-ptz.js';
import { snapshot } from './camera-stream.js';
import { parse } from './asker.js';
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

/** The presets to store: the answers file's list, or — at the terminal — one at a time, each stored before the next is asked. */
async function* wantedPresets(ctx: Ctx, cam: OnvifPtz): AsyncGenerator<Wanted> {
  if (!ctx.ask.interactive) {
    yield* await ctx.ask.ask({ key: 'cameras.presets', vi: 'Các vị trí đặt sẵn', en: 'Named presets', parse: parsePresets });
    return;
  }
  for (let n = 1; ; n++) {
    const name = await ctx.ask.ask({
      key: 'preset.name',
      vi: `Tên vị trí đặt sẵn thứ ${n} (trống: xong)`,
      en: `Name of preset ${n} (empty: done)`,
      default: '',
    });
    if (!name) return;
    const here = (await cam.status()).position;
    const position = await ctx.ask.ask({
      key: 'preset.position',
      vi: 'Vị trí "pan tilt zoom"',
      en: 'Position "pan tilt zoom"',
      default: here,
      parse: parseVector,
    });
    yield { name: name.slice(0, 64), position };
  }
}

export async function storePresets(ctx: Ctx, cam: OnvifPtz, rtsp: string, dir: string) {
  await mkdir(dir, { recursive: true });
  const named: { token: string; name: string }[] = [];
  const shots: { name: string; token: string; position: PtzVector; jpeg: string | null }[] = [];
  const checks = [];
  let i = 0;
  for await (const w of wantedPresets(ctx, cam)) {
    i++;
    try {
      // Move, take the snapshot, and — at the terminal — let the technician look at it (or at the kiosk's
      // preview) and nudge the view until it is right; only then is the view stored on the camera.
      const file = `${dir}/preset-${i}.jpg`;
      let position = w.position;
      let went: Awaited<ReturnType<typeof moveAndSettle>>;
      let jpeg: string | null;
      for (;;) {
        went = await moveAndSettle(cam, position);
        jpeg = await snapshot(rtsp, file).then(
          () => file,
          (e: Error) => (ctx.ask.say(`Không chụp được ảnh: ${e.message}`, `no snapshot: ${e.message}`), null),
        );
        if (jpeg) ctx.ask.say(`Ảnh vị trí "${w.name}": ${jpeg}`, `snapshot of "${w.name}": ${jpeg}`);
        if (!ctx.ask.interactive) break;
        const keep = await ctx.ask.ask({
          key: 'preset.keep',
          vi: 'Giữ khung hình này? (xem ảnh hoặc màn hình phòng)',
          en: 'Keep this view? (look at the snapshot or the kiosk preview)',
          default: true,
          parse: parse.yes,
        });
        if (keep) break;
        position = await ctx.ask.ask({
          key: 'preset.position',
          vi: 'Vị trí mới "pan tilt zoom"',
          en: 'New position "pan tilt zoom"',
          default: went.at,
          parse: parseVector,
        });
      }
      // A preset of that name already on the camera (an installer's, an earlier commissioning) is overwritten
      // in place: cameras refuse a second one with the same name (PresetExist).
      const existing = (await cam.presets()).find((p) => p.name === w.name && !p.function);
      const token = await cam.setPreset(w.name, existing?.token);
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
  if (i === 0)
    checks.push(check('cameras', `${cam.id}: vị trí đặt sẵn / named presets`, false, 'none stored: officers would have no view to choose'));
  return { named, shots, checks };
}
