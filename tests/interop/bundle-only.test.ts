import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roomId, startTestHub, waitFor } from '../../hub/test/hub-fixture.js';
import { startWebrtcbinPublisher } from './gst-client.js';

// Issue 16: a GStreamer webrtcbin WHIP publisher with bundle-policy=max-bundle writes its audio section as
// `m=audio 0 … a=bundle-only`; the hub answered it rejected (port 0, inactive) and dropped every audio packet.
// Now the hub accepts it on the bundle (hub/sfu/sdp-filter.ts acceptBundleOnly) and audio arrives.

describe('WHIP from a max-bundle webrtcbin (bundle-only audio)', () => {
  let hub: Awaited<ReturnType<typeof startTestHub>>;
  let hearing: string;
  beforeAll(async () => {
    hub = await startTestHub({ rooms: 1 });
    hearing = (
      await hub.app.inject({ method: 'POST', url: '/api/v1/hearings', payload: { title: 'Bundle-only', rooms: [roomId(1)] } })
    ).json().id;
  });
  afterAll(() => hub?.stop());

  it('the hub answers the bundle-only audio section and receives its audio', async () => {
    const pub = startWebrtcbinPublisher({ url: `${hub.url}/whip/hearings/${hearing}`, bundlePolicy: 'max-bundle' });
    try {
      const offer = await pub.waitFor((e) => e.event === 'offer', 'the offer');
      expect(offer.bundleOnly).toBe(1); // the case: webrtcbin wrote a bundle-only section
      const answer = await pub.waitFor((e) => e.event === 'answer', 'the answer');
      expect(answer.status).toBe(201);
      expect(String(answer.sdp)).toMatch(/^m=audio 9 /m);
      expect(String(answer.sdp)).toMatch(/^a=group:BUNDLE video0 audio1\r?$/m);
      const id = String(answer.location).split('/').pop()!;
      const source = () => hub.conference.sources().find((s) => s.participantId === id);
      const got = await waitFor(() => (source()?.received.audio.packets ?? 0) > 100 && source()!.received, 30_000, 'audio at the hub');
      console.log(`bundle-only WHIP: ${got.audio.packets} audio and ${got.video.packets} video packets at the hub`);
      expect(got.video.packets).toBeGreaterThan(0);
    } finally {
      await pub.stop();
    }
    await waitFor(() => hub.conference.members().length === 0, 10_000, 'DELETE detached the publisher');
  }, 60_000);
});
