import { loadavg } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roomId, startTestHub, waitFor } from '../../hub/test/hub-fixture.js';
import { startWebrtcbinViewer, type GstClient } from './gst-client.js';
import { gstTotals, measure } from './measure.js';
import { startWeriftPublisher } from './werift-clients.js';

// The WHEP side of webrtcbin in its four shapes (the matrix views with max-bundle, non-trickle): max-bundle offers
// its audio bundle-only (`m=audio 0`, hub/sfu/sdp-filter.ts acceptBundleOnly on the WHEP answer too), trickle
// PATCHes each candidate with If-Match; balanced (webrtcbin 1.22) offers no BUNDLE group: audio and video on two
// transports. One shape at a time, each watching a werift WHIP publisher: it decodes pictures and the tone.

const SHAPES = [
  { bundlePolicy: 'max-bundle', trickle: false },
  { bundlePolicy: 'max-bundle', trickle: true },
  { bundlePolicy: 'balanced', trickle: false },
  { bundlePolicy: 'balanced', trickle: true },
] as const;

describe('WHEP viewers: webrtcbin max-bundle/balanced × trickle/non-trickle', { retry: 1 }, () => {
  let hub: Awaited<ReturnType<typeof startTestHub>>;
  let hearing: string;
  beforeAll(async () => {
    hub = await startTestHub({ rooms: 1 });
    hearing = (
      await hub.app.inject({ method: 'POST', url: '/api/v1/hearings', payload: { title: 'WHEP webrtcbin', rooms: [roomId(1)] } })
    ).json().id;
  });
  afterAll(() => hub?.stop());

  for (const shape of SHAPES) {
    const name = `${shape.bundlePolicy}${shape.trickle ? ' trickle' : ''}`;
    it(`webrtcbin ${name} decodes the picture and the tone; its PATCHes get 204; its DELETE 200`, async () => {
      const pub = await startWeriftPublisher(`${hub.url}/whip/hearings/${hearing}`);
      const pid = pub.location.split('/').pop()!;
      let viewer: GstClient | undefined;
      try {
        const source = () => hub.conference.sources().find((s) => s.participantId === pid)?.received.audio.packets ?? 0;
        await waitFor(() => source() > 25, 30_000, 'the publisher');
        const t0 = performance.now();
        const v = startWebrtcbinViewer({ url: `${hub.url}/whep/hearings/${hearing}/participants/${pid}`, ...shape });
        viewer = v;
        const r = await measure(gstTotals(v), t0, 4000, `webrtcbin ${name} viewer`, () => JSON.stringify(v.events.at(-1)));
        console.log(
          `werift → webrtcbin ${name}: ${r.fps} fps, RMS ${r.rms}, audio ${r.audio} s/s, first ${r.firstMs} ms; load ${loadavg()[0]!.toFixed(1)}`,
        );
        expect(v.events.find((e) => e.event === 'answer')?.status).toBe(201);
        const patches = v.events.filter((e) => e.event === 'patch');
        if (shape.trickle) expect(patches.length, 'PATCHes').toBeGreaterThan(0);
        expect(
          patches.every((p) => p.status === 204),
          JSON.stringify(patches),
        ).toBe(true);
        expect(r.fps).toBeGreaterThan(2);
        expect(r.rms).toBeGreaterThan(0.1);
        await v.stop();
        expect(v.events.find((e) => e.event === 'deleted')?.status).toBe(200);
      } finally {
        await Promise.allSettled([viewer?.stop(), pub.stop()]);
      }
      await waitFor(() => hub.conference.legs().length === 0 && hub.conference.members().length === 0, 15_000, 'nothing left');
    }, 150_000);
  }
});
