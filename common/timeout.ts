import { DeviceUnavailableError } from './errors.js';

/** Rejects with DeviceUnavailableError when `work` takes longer than `ms` (device answers slowly or not at all). */
export async function withTimeout<T>(device: string, ms: number, work: Promise<T>, what = 'request'): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeviceUnavailableError(device, `${what} timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Exponential backoff with a cap: 1st retry after `base`, doubling up to `max`. */
export function backoffDelay(attempt: number, base = 250, max = 10_000): number {
  return Math.min(max, base * 2 ** Math.max(0, attempt));
}
