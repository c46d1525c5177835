import { RTCPeerConnection } from 'werift';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { until } from '../../tests/helpers/until.js';
import { hubPeerConfig } from './peer-config.js';
import { Source } from './source.js';
import { SubscribeLeg } from './subscribe-leg.js';

// A fresh subscriber shows nothing until the publisher's next keyframe: the hub asks the publisher for one
// as soon as the subscriber's leg is connected (no PLI needed from the subscriber), at most once per hold-off
// per publisher however many subscribers arrive together (issue 15 target 4).

const peerConfig = hubPeerConfig({ hostAddresses: ['127.0.0.1'], useIpv6: false, stunUrls: [], portMin: 0, portMax: 0 });

describe('keyframe on subscribe', () => {
  const closers: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    vi.useRealTimers();
    await Promise.all(closers.splice(0).map((c) => c().catch(() => {})));
  });

  it('requests closer together than the hold-off reach the publisher once; a later one reaches it again', () => {
    vi.useFakeTimers({ now: 1_000_000, toFake: ['Date'] });
    let asked = 0;
    const source = new Source('room-a', () => asked++);
    expect([source.requestKeyframe(), source.requestKeyframe(), source.requestKeyframe()]).toEqual([true, false, false]);
    expect(asked).toBe(1);
    vi.setSystemTime(1_000_000 + 1000);
    expect(source.requestKeyframe()).toBe(true);
    expect(asked).toBe(2);
    expect(source.keyframeRequests).toBe(2);
  });

  it('a subscriber leg that connects asks the publisher for a keyframe, without a PLI from the subscriber', async () => {
    let asked = 0;
    const source = new Source('room-a', () => asked++);
    const leg = new SubscribeLeg('sub-1', 'room-a', 'officer-1', source, peerConfig);
    const viewer = new RTCPeerConnection(peerConfig);
    closers.push(
      () => leg.close(),
      () => viewer.close(),
    );
    await viewer.setRemoteDescription({ type: 'offer', sdp: await leg.offer() });
    await viewer.setLocalDescription(await viewer.createAnswer());
    expect(asked).toBe(0); // not before the leg is up: a keyframe then would reach nobody
    await leg.accept(viewer.localDescription!.sdp);
    await until('leg connected', 20_000, () => leg.state === 'connected');
    await until('keyframe asked of the publisher', 10_000, () => asked >= 1);
    expect(source.keyframeRequests).toBe(asked);
  });
});
