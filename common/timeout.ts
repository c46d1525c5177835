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
