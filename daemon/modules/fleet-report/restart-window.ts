// Media worker restarts in the last hour, from the bus's `media` restart events: the health reply counts
// restarts since the daemon started, an alert wants a rate ("more than 3 in an hour").

const HOUR_MS = 3600_000;

export function createRestartWindow(now: () => number = Date.now) {
  let times: number[] = [];
  return {
    restarted(): void {
      times.push(now());
    },
    lastHour(): number {
      const from = now() - HOUR_MS;
      times = times.filter((t) => t > from);
      return times.length;
    },
  };
}
