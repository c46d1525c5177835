import type { PgListener } from './listener.js';
import { StoreUnavailableError } from './pool.js';

// The database answered a moment ago (openHubStore); a LISTEN that still cannot start means the hub
// would act on a view nobody refreshes: fail with 503 STORE_UNAVAILABLE (the listener closed) rather
// than hang the start.

export async function listenerReady(listener: PgListener, channel: string, withinMs = 20_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StoreUnavailableError(`LISTEN ${channel} did not start within ${withinMs / 1000} s`)), withinMs);
  });
  try {
    await Promise.race([listener.ready, late]);
  } catch (err) {
    await listener.close();
    throw err;
  } finally {
    clearTimeout(timer);
  }
}
