import type { DeviceState } from '../../../common/lifecycle.js';
import type { AudioFollowState } from '../../../common/contracts/daemon-api/audio-follow.js';
import type { MeterHealth } from '../../drivers/dsp/dsp-driver.js';

/**
 * The module's health from what it sees: offline when no followed microphone has a live meter (nothing to
 * follow), online otherwise, with lastError naming each stale channel (and, from the DSP driver, its meter tag
 * and why: a wrong tag, a subscription lost) and a failed last move (camera, preset).
 */
export function followHealth(
  channels: { id: string; db: number | null; stale: boolean }[],
  last: AudioFollowState['last'],
  pastGrace: boolean,
  meters: MeterHealth[] = [],
): { state: DeviceState; lastError?: string } {
  const why = (id: string) => {
    const m = meters.find((x) => x.channel === id && x.state !== 'ok');
    return m ? `${id} (${m.tag} ${m.index}: ${m.error ?? m.state})` : id;
  };
  const stale = channels.filter((c) => c.stale).map((c) => why(c.id));
  if (!pastGrace && channels.every((c) => c.db === null)) return { state: 'starting' };
  const problems: string[] = [];
  if (stale.length > 0) problems.push(`no meter reading from channel ${stale.join(', ')}`);
  if (last && !last.ok && last.error) problems.push(`last move failed: ${last.error}`);
  const lastError = problems.length > 0 ? problems.join('; ') : undefined;
  return { state: stale.length === channels.length ? 'offline' : 'online', lastError };
}
