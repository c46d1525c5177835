// Failed sign-ins slow down, per account name and per client address: the first FREE failures cost
// nothing, then each further failure closes the door for twice as long as the last (1 s, 2 s, 4 s… up to
// 15 min). A closed door answers 429 with Retry-After without looking at the password, for a known and an
// unknown name alike. A right password opens the account's door again; an address's count fades after
// an hour without failures (an officer mistyping for a week is not locked out).

const FREE = 3;
const MAX_WAIT_MS = 15 * 60_000;
const ADDRESS_MEMORY_MS = 60 * 60_000;
const ACCOUNT_MEMORY_MS = 24 * 60 * 60_000;
const MAX_KEYS = 50_000;

interface Door {
  failures: number;
  lastFailure: number;
  openAt: number;
}

export function createSigninThrottle(now: () => number = Date.now) {
  const doors = new Map<string, Door>();
  const memory = (key: string) => (key.startsWith('ip:') ? ADDRESS_MEMORY_MS : ACCOUNT_MEMORY_MS);
  const get = (key: string) => {
    const d = doors.get(key);
    if (d && now() - d.lastFailure > memory(key)) {
      doors.delete(key);
      return undefined;
    }
    return d;
  };
  const keys = (name: string, ip: string) => [`name:${name}`, `ip:${ip}`];

  return {
    /** Milliseconds until this name from this address may try again (0: now). */
    waitMs(name: string, ip: string): number {
      return Math.max(0, ...keys(name, ip).map((k) => (get(k)?.openAt ?? 0) - now()));
    },
    failed(name: string, ip: string): void {
      if (doors.size > MAX_KEYS) for (const k of [...doors.keys()].slice(0, MAX_KEYS / 10)) doors.delete(k); // oldest first
      for (const k of keys(name, ip)) {
        const d = get(k) ?? { failures: 0, lastFailure: 0, openAt: 0 };
        d.failures += 1;
        d.lastFailure = now();
        d.openAt = d.failures > FREE ? now() + Math.min(MAX_WAIT_MS, 1000 * 2 ** (d.failures - FREE - 1)) : 0;
        doors.delete(k);
        doors.set(k, d); // re-inserted: the map's order is oldest failure first
      }
    },
    succeeded(name: string): void {
      doors.delete(`name:${name}`);
    },
  };
}
export type SigninThrottle = ReturnType<typeof createSigninThrottle>;
