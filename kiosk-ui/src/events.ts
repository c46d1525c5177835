import { reconnectingSocket } from './reconnecting-socket.js';

// The daemon's events WebSocket, only as a doorbell: any hearing/gateway/media/recording event
// makes the page poll at once instead of within 2 s. Reconnects with backoff (reconnecting-socket.ts,
// 1 s → 5 s); polling is the floor. The events are the monitor's (the page's loopback role), so no
// session token goes with it: a credential in a URL ends up in logs and history.

export function watchEvents(onEvent: () => void) {
  let debounce: ReturnType<typeof setTimeout> | undefined;
  reconnectingSocket({
    url: () => `${location.origin.replace(/^http/, 'ws')}/api/v1/events?types=hearing,gateway,media,recording`,
    onMessage: () => {
      clearTimeout(debounce);
      debounce = setTimeout(onEvent, 150);
    },
  });
}
