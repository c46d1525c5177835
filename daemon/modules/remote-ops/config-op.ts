import { isDeepStrictEqual } from 'node:util';
import { mergePatch } from '../../../common/config/merge-patch.js';
import { validateConfig } from '../../../common/config/validate-room-config.js';
import type { Config } from '../../../common/config/room-schema.js';
import type { ConfigOp } from '../../../common/contracts/fleet-ops.js';
import { readWithHash } from './durable-file.js';
import { beginTrial, openTrial } from './trial.js';

// A pushed config at the room: laid over the room's own file (merge) or taking its place (replace),
// checked again by the loader's rules (the hub checked the patch, only the room holds the whole), then
// put on trial (trial.ts). What the gateway reads (room, api, gateway, paths.state, the media RTP ports)
// decides whether the gateway is restarted too.

const gatewayView = (c: Config) => ({
  room: c.room,
  api: c.api,
  gateway: c.gateway,
  state: c.paths.state,
  rtp: [c.media.videoRtpPort, c.media.audioRtpPort, c.media.remoteAudioRtpPort],
});

export type ConfigStep = { done: true; state: 'applied' | 'failed'; reason: string } | { done: false; gateway: boolean; changed: string[] };

export async function applyConfigOp(file: string | undefined, op: ConfigOp, roomId: string): Promise<ConfigStep> {
  if (!file)
    return {
      done: true,
      state: 'failed',
      reason: 'phòng chạy cấu hình dựng sẵn / the daemon runs without a config file: nothing to write',
    };
  if (await openTrial(file))
    return { done: true, state: 'failed', reason: 'đang thử một cấu hình khác / another pushed config is on trial' };
  const current = await readWithHash(file);
  if (!current) return { done: true, state: 'failed', reason: `${file} is missing` };
  const raw = JSON.parse(current.text) as Record<string, unknown>;
  const next = (op.mode === 'merge' ? mergePatch(raw, op.config) : op.config) as Record<string, unknown>;
  let before: Config;
  let after: Config;
  try {
    before = validateConfig(raw, file);
    after = validateConfig(next, 'pushed config');
  } catch (err) {
    return { done: true, state: 'failed', reason: `phòng từ chối cấu hình / the room refused the config: ${(err as Error).message}` };
  }
  if (after.room.id !== roomId) return { done: true, state: 'failed', reason: `room.id must stay "${roomId}"` };
  const changed = Object.keys({ ...before, ...after }).filter(
    (k) => !isDeepStrictEqual(before[k as keyof Config], after[k as keyof Config]),
  );
  if (!changed.length)
    return { done: true, state: 'applied', reason: 'không có gì thay đổi / nothing to change: the room already runs this config' };
  const gateway = !isDeepStrictEqual(gatewayView(before), gatewayView(after));
  await beginTrial(file, op.id, current.text, `${JSON.stringify(next, null, 2)}\n`, gateway);
  return { done: false, gateway, changed };
}
