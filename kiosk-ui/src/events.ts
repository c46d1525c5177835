import { reconnectingSocket } from './reconnecting-socket.js';

// The daemon's events WebSocket, only as a doorbell: any hearing/gateway/media/recording event
// makes the page poll at once instead of within 2 s. Reconnects with backoff (reconnecting-socket.ts,
// 1 s → 5 s); polling is the floor.

export function watchEvents(token: () => string | null, onEvent: () => void) {
  let debounce: ReturnType<typeof setTimeout> | undefined;
  reconnectingSocket({
    url: () => {
      const t = token();
      return `${location.origin.replace(/^http/, 'ws')}/api/v1/events?types=hearing,gateway,media,recording${t ? `&token=${encodeURIComponent(t)}` : ''}`;
    },
    onMessage: () => {
      clearTimeout(debounce);
      debounce = setTimeout(onEvent, 150);
    },
  });
}
