import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { reconnectingSocket } from './reconnecting-socket.js';

// The kiosk's reconnecting client against a stand-in WebSocket, on fake timers.

class FakeSocket {
  static readonly OPEN = 1;
  static all: FakeSocket[] = [];
  /** The far end is away: every socket closes before it opens. */
  static refuse = false;
  readyState = 0;
  sent: string[] = [];
  onopen: (() => void) | null = null;
  onclose: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onmessage: ((e: { data: unknown }) => void) | null = null;
  readonly at = Date.now();
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
    if (FakeSocket.refuse) this.close();
  }
  send(s: string) {
    this.sent.push(s);
  }
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  close() {
    if (this.readyState === 3) return;
    this.readyState = 3;
    queueMicrotask(() => this.onclose?.());
  }
}

const t0 = 1_000_000;
const times = () => FakeSocket.all.map((s) => s.at - t0);
const last = () => FakeSocket.all.at(-1)!;
const flush = () => vi.advanceTimersByTimeAsync(0);

beforeEach(() => {
  vi.useFakeTimers({ now: t0 });
  FakeSocket.all = [];
  FakeSocket.refuse = false;
  vi.stubGlobal('WebSocket', FakeSocket);
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('reconnectingSocket', () => {
  it('a custom backoff (the kiosk bridge on loopback): 250 ms doubling to every 1 s', async () => {
    FakeSocket.refuse = true;
    const s = reconnectingSocket({ url: () => 'ws://x', onMessage: () => {}, backoff: { baseMs: 250, maxMs: 1000 } });
    await vi.advanceTimersByTimeAsync(4000);
    expect(times().slice(0, 6)).toEqual([0, 250, 750, 1750, 2750, 3750]);
    s.stop();
  });
  it('retries 1 s, 2 s, 4 s, then every 5 s while the far end is away; asks for the URL each time', async () => {
    let n = 0;
    FakeSocket.refuse = true;
    const s = reconnectingSocket({ url: () => `ws://x/${n++}`, onMessage: () => {} });
    await vi.advanceTimersByTimeAsync(20_000);
    expect(times().slice(0, 7)).toEqual([0, 1000, 3000, 7000, 12_000, 17_000]);
    expect(FakeSocket.all.map((x) => x.url).slice(0, 3)).toEqual(['ws://x/0', 'ws://x/1', 'ws://x/2']);
    s.stop();
  });

  it('open resets the backoff (events); messages and send() go through only while open', async () => {
    const got: string[] = [];
    let closes = 0;
    const s = reconnectingSocket({ url: () => 'ws://x', onMessage: (d) => got.push(d), onClose: () => closes++ });
    expect(s.send({ a: 1 })).toBe(false);
    last().close();
    await vi.advanceTimersByTimeAsync(1000);
    last().close();
    await vi.advanceTimersByTimeAsync(2000);
    last().open();
    expect(s.open).toBe(true);
    await flush();
    expect(s.send({ type: 'request-offer' })).toBe(true);
    expect(last().sent).toEqual(['{"type":"request-offer"}']);
    last().onmessage?.({ data: 'ding' });
    expect(got).toEqual(['ding']);
    last().close();
    await vi.advanceTimersByTimeAsync(1000);
    expect(times()).toEqual([0, 1000, 3000, 4000]); // 1 s again after it was open
    expect(closes).toBe(3);
    s.stop();
  });

  it('healthyOnOpen false (the bridge): an open socket is not enough, healthy() resets the backoff', async () => {
    const s = reconnectingSocket({ url: () => 'ws://x', healthyOnOpen: false, onMessage: () => {} });
    for (const wait of [1000, 2000]) {
      last().open();
      await flush();
      last().close();
      await vi.advanceTimersByTimeAsync(wait);
    }
    last().open();
    await flush();
    s.healthy();
    last().close();
    await vi.advanceTimersByTimeAsync(1000);
    expect(times()).toEqual([0, 1000, 3000, 4000]);
    s.drop(); // not open yet: nothing to drop
    await flush();
    last().open();
    await flush();
    s.drop(); // the stall rule: close this one, a new one follows
    await vi.advanceTimersByTimeAsync(2000);
    expect(FakeSocket.all).toHaveLength(5);
    s.stop();
  });

  it('stop() closes the socket and nothing reconnects', async () => {
    let closes = 0;
    const s = reconnectingSocket({ url: () => 'ws://x', onMessage: () => {}, onClose: () => closes++ });
    last().open();
    await flush();
    s.stop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeSocket.all).toHaveLength(1);
    expect(FakeSocket.all[0].readyState).toBe(3);
    expect(closes).toBe(0);
  });
});
