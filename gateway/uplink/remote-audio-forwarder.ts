import { createSocket } from 'node:dgram';
import type { Logger } from '../../common/log.js';
import type { RemoteFeed } from './subscriptions.js';

// Sends each remote participant's Opus RTP, as received, to the media worker's recorder over loopback:
// one fixed port per slot (remoteAudioRtpPort + 0..slots-1), a slot per participant while it is here.
// Only the payload type is rewritten (to 111, the worker's caps); a slot taken over by someone else
// starts a new SSRC, which the worker's depayloader handles like a stream restart.

const RECORDER_OPUS_PT = 111;

export function createRemoteAudioForwarder(o: {
  basePort: number;
  slots: number;
  subscriptions: { list(): RemoteFeed[]; on(e: 'changed', f: () => void): unknown };
  logger: Logger;
}) {
  const sock = createSocket('udp4');
  const hooked = new Map<string, { slot: number; feed: RemoteFeed; off: () => void }>();
  let forwarded = 0;

  function sync(): void {
    const feeds = new Map(o.subscriptions.list().map((f) => [f.sid, f]));
    for (const [sid, h] of hooked) {
      if (feeds.get(sid) === h.feed) continue;
      h.off(); // gone, or replaced by a resubscribe: hooked again below
      hooked.delete(sid);
    }
    for (const feed of feeds.values()) {
      const audio = feed.tracks.audio?.track;
      if (!audio || hooked.has(feed.sid)) continue;
      const used = new Set([...hooked.values()].map((h) => h.slot));
      const slot = [...Array(o.slots).keys()].find((s) => !used.has(s));
      if (slot === undefined) {
        o.logger.warn(
          { participant: feed.participant.id, slots: o.slots },
          'no free recording slot: this participant is not in the recording',
        );
        continue;
      }
      const port = o.basePort + slot;
      const sub = audio.onReceiveRtp.subscribe((rtp) => {
        const buf = rtp.serialize();
        buf[1] = (buf[1] & 0x80) | RECORDER_OPUS_PT;
        forwarded++;
        sock.send(buf, port, '127.0.0.1');
      });
      hooked.set(feed.sid, { slot, feed, off: () => sub.unSubscribe() });
      o.logger.info({ participant: feed.participant.id, slot, port }, 'remote audio to the recorder');
    }
  }

  return {
    start(): void {
      if (!o.basePort) return;
      o.subscriptions.on('changed', sync);
      sync();
    },
    stop(): void {
      for (const h of hooked.values()) h.off();
      hooked.clear();
      try {
        sock.close();
      } catch {
        // never bound (no remote audio port configured, or stopped twice): nothing to close
      }
    },
    get forwarded() {
      return forwarded;
    },
  };
}
