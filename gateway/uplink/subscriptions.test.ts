import { MediaStreamTrack } from 'werift';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/log.js';
import { closeQuietly, completeLocalSdp, createPeer } from '../peer/peer-config.js';
import { SILENT_FEED_MS, Subscriptions } from './subscriptions.js';

// A subscribe connection that never delivers a packet must be asked for again: seen on a loaded box
// as a black officer tile on the kiosk, with the werift connection stuck short of 'failed'.
describe('Subscriptions: silent feeds', () => {
  let subs: Subscriptions | undefined;
  let hubSide: ReturnType<typeof createPeer> | undefined;
  afterEach(async () => {
    subs?.dispose();
    await closeQuietly(hubSide);
  });

  it('reports a feed with no packets for SILENT_FEED_MS as failed, once per silent period', async () => {
    let now = 1_000_000;
    subs = new Subscriptions(silentLogger(), () => now);
    hubSide = createPeer();
    hubSide.addTransceiver(new MediaStreamTrack({ kind: 'video' }), { direction: 'sendonly' });
    await hubSide.setLocalDescription(await hubSide.createOffer());
    await subs.answer('sub-1', { id: 'officer-1', kind: 'officer', name: 'Cán bộ Lan' }, await completeLocalSdp(hubSide));
    const failed: string[] = [];
    subs.on('failed', (sid) => failed.push(sid));

    subs.checkSilent(); // first look: remembers 0 packets
    now += SILENT_FEED_MS - 1;
    subs.checkSilent();
    expect(failed).toEqual([]);
    now += 2;
    subs.checkSilent();
    expect(failed).toEqual(['sub-1']);
    now += 1000;
    subs.checkSilent();
    expect(failed).toEqual(['sub-1']); // not again within the same period

    // A resubscription (new offer, same sid) starts a fresh watch.
    await subs.answer('sub-1', { id: 'officer-1', kind: 'officer', name: 'Cán bộ Lan' }, await completeLocalSdp(hubSide));
    subs.checkSilent();
    now += SILENT_FEED_MS - 1;
    subs.checkSilent();
    expect(failed).toEqual(['sub-1']);
  });
});
