// The daemon's events WebSocket, only as a doorbell: any hearing/gateway/media/recording event
// makes the page poll at once instead of within 2 s. Reconnects with backoff; polling is the floor.

export function watchEvents(token: () => string | null, onEvent: () => void) {
  let backoff = 1000;
  let debounce: ReturnType<typeof setTimeout> | undefined;
  const connect = () => {
    const t = token();
    const url = `${location.origin.replace(/^http/, 'ws')}/api/v1/events?types=hearing,gateway,media,recording${t ? `&token=${encodeURIComponent(t)}` : ''}`;
    let ws: WebSocket;
    try {
      ws = new WebSocket(url);
    } catch {
      return void setTimeout(connect, backoff);
    }
    ws.onopen = () => (backoff = 1000);
    ws.onmessage = () => {
      clearTimeout(debounce);
      debounce = setTimeout(onEvent, 150);
    };
    ws.onclose = () => {
      setTimeout(connect, backoff);
      backoff = Math.min(5000, backoff * 2);
    };
    ws.onerror = () => ws.close();
  };
  connect();
}
