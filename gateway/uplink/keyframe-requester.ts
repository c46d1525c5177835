import type { Logger } from '../../common/log.js';

export interface KeyframeRequesterDeps {
  /** e.g. http://127.0.0.1:8080/api/v1/media/keyframe (the daemon asks its media worker). */
  url: string;
  minIntervalMs?: number;
  logger: Logger;
  onSent?: () => void;
}

/**
 * Asks the daemon for a forced keyframe, at most once per `minIntervalMs`: subscribers send PLIs in
 * bursts (every new viewer, every loss) and each keyframe costs a bitrate spike. A daemon that is
 * down or has no such route yet is normal (startup, older daemon): logged at debug, never thrown.
 */
export function createKeyframeRequester(deps: KeyframeRequesterDeps) {
  const minInterval = deps.minIntervalMs ?? 1000;
  let last = 0;
  let trailing: NodeJS.Timeout | undefined;

  async function send(reason: string): Promise<void> {
    last = Date.now();
    deps.onSent?.();
    try {
      const res = await fetch(deps.url, {
        method: 'POST',
        signal: AbortSignal.timeout(1000),
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      if (!res.ok && res.status !== 404) deps.logger.warn({ status: res.status, reason }, 'daemon refused keyframe request');
    } catch (err) {
      deps.logger.debug({ err: (err as Error).message, reason }, 'keyframe request not delivered');
    }
  }

  return {
    /** A request inside the quiet interval is not dropped but folded into one trailing request. */
    request(reason: string): void {
      const wait = last + minInterval - Date.now();
      if (wait <= 0) return void send(reason);
      trailing ??= setTimeout(() => {
        trailing = undefined;
        void send(reason);
      }, wait);
    },
    stop(): void {
      clearTimeout(trailing);
      trailing = undefined;
    },
  };
}
export type KeyframeRequester = ReturnType<typeof createKeyframeRequester>;
