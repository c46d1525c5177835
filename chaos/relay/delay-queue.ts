// Releases items in push order at (or after) their time, with one timer: a TCP stream delayed but never
// reordered. `whenDrained(f)`: f once everything pushed so far has been released.

export function createDelayQueue<T>(release: (item: T) => void) {
  const q: { item: T; at: number }[] = [];
  let timer: NodeJS.Timeout | null = null;
  const waiters: (() => void)[] = [];
  const drain = () => {
    timer = null;
    const now = performance.now();
    while (q.length && q[0]!.at <= now + 0.5) release(q.shift()!.item);
    if (q.length) timer = setTimeout(drain, Math.max(1, q[0]!.at - now));
    else for (const w of waiters.splice(0)) w();
  };
  return {
    push(item: T, at: number) {
      q.push({ item, at });
      if (!timer) drain();
    },
    whenDrained(f: () => void) {
      if (!q.length) f();
      else waiters.push(f);
    },
    get length() {
      return q.length;
    },
  };
}
