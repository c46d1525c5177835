// @ts-check
// When the console asks the hub again after its signaling socket dropped. A restarted hub is back within a
// few seconds (chaos kill-hub: 1.5–3.4 s from kill to ready), so the first tries come soon; a hub down for
// minutes is asked every 2 s at most (each officer's browser, not a flood).

/** Milliseconds before the (retries + 1)-th attempt: 250, 500, 1000, then 2000. */
export function reconnectDelayMs(retries) {
  return Math.min(2000, 250 * 2 ** Math.max(0, retries));
}
