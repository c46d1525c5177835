import { join } from 'node:path';
import { silentLogger } from '../../common/log.js';
import { OnvifPtz } from '../../daemon/drivers/ptz/onvif-ptz.js';
import { discoverCameras } from '../discovery/index.js';
import { parse } from './asker.js';
import { logIn } from './camera-credentials.js';
import { storePresets } from './camera-presets.js';
import { testMove } from './camera-ptz.js';
import { probeStream, withCredentials } from './camera-stream.js';
import type { Ctx, Step } from './context.js';
import { check } from './progress.js';

// Cameras: WS-Discovery (the `reception discover` code), a login with credentials until one is taken, every
// media profile read, the stream checked (codec, profile, size: passed through or transcoded), a PTZ test
// move, then the room's named presets stored with a snapshot each. The config gets one ONVIF camera per find.

type CameraConfig = Awaited<ReturnType<Ctx['readConfig']>>['cameras'][number];

export const camerasStep: Step = {
  name: 'cameras',
  vi: 'Camera',
  en: 'Cameras',
  async run(ctx) {
    const targets = await ctx.ask.ask({
      key: 'cameras.targets',
      vi: 'Dò camera ở địa chỉ (trống: multicast)',
      en: 'Probe these host:port (empty: multicast)',
      default: [] as string[],
      parse: parse.list,
    });
    const timeoutMs = await ctx.ask.ask({
      key: 'cameras.discoveryMs',
      vi: 'Thời gian chờ dò (ms)',
      en: 'Discovery wait (ms)',
      default: 3000,
      parse: parse.number(500, 60_000),
    });
    const found = await discoverCameras({ timeoutMs, targets });
    const checks = [
      check(
        'cameras',
        'Dò camera ONVIF / ONVIF discovery',
        found.length > 0,
        found.map((c) => `${c.name ?? '?'} ${c.xaddrs[0]}`).join(', ') || `no answer in ${timeoutMs} ms`,
      ),
    ];
    if (found.length === 0) return { checks };
    const cameras: CameraConfig[] = [];
    const report: Record<string, unknown>[] = [];
    for (const [i, found1] of found.entries()) {
      const id = `cam${i + 1}`;
      const xaddr = found1.xaddrs[0]!;
      const login = await logIn(ctx, id, xaddr);
      checks.push(check('cameras', `${id}: đăng nhập / login`, login.ok, login.figure));
      if (!login.ok) continue;
      const { session, profiles, creds } = login;
      checks.push(
        check(
          'cameras',
          `${id}: hồ sơ media / media profiles`,
          profiles.length > 0,
          `${profiles.map((p) => `${p.token}${p.ptz ? ' (PTZ)' : ''}`).join(', ')}; using ${session.profile.token}`,
        ),
      );
      const cam = new OnvifPtz({
        id,
        xaddr,
        ...creds,
        profileToken: session.profile.token,
        credentialsHoldMs: 0,
        timeoutMs: 1900,
        logger: silentLogger(),
      });
      await cam.start();
      const entry: Record<string, unknown> = {
        id,
        xaddr,
        name: found1.name ?? null,
        hardware: found1.hardware ?? null,
        info: session.info,
        profiles: profiles.map((p) => p.token),
      };
      try {
        const uri = await cam.streamUri();
        const rtsp = uri ? withCredentials(uri, creds.username, creds.password) : null;
        const stream = rtsp ? await probeStream(rtsp).catch((e: Error) => e) : new Error('no stream URI');
        entry.stream = stream instanceof Error ? { error: stream.message } : stream;
        checks.push(
          check(
            'cameras',
            `${id}: luồng hình / stream`,
            !(stream instanceof Error),
            stream instanceof Error
              ? stream.message
              : `${stream.width}×${stream.height} ${stream.codec} ${stream.profile}${stream.fps ? ` ${stream.fps} fps` : ''}: ${stream.passThrough ? 'chuyển thẳng / passed through' : 'cần chuyển mã / transcode needed'}`,
          ),
        );
        const move = await testMove(cam).catch((e: Error) => ({ ok: false, figure: e.message }));
        checks.push(check('cameras', `${id}: thử quay / PTZ test move`, move.ok, move.figure));
        const presets =
          i === 0 && rtsp ? await storePresets(ctx, cam, rtsp, join(ctx.progress.dir, `${id}`)) : { named: [], checks: [], shots: [] };
        checks.push(...presets.checks);
        entry.presets = presets.shots;
        cameras.push({
          id,
          name: found1.name ?? `Camera ${i + 1}`,
          driver: 'onvif',
          timeoutMs: 1500,
          presetNames: presets.named,
          onvif: { xaddr, ...creds, profileToken: session.profile.token, auth: 'auto' },
        });
      } finally {
        await cam.stop();
      }
      report.push(entry);
    }
    if (cameras.length)
      await ctx.editConfig((c) => {
        c.cameras = cameras;
        c.media.primaryCamera = cameras[0]!.id;
      });
    return { checks, data: { cameras: report } };
  },
};
