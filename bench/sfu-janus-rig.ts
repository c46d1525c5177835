// The Janus side of bench/sfu-compare.ts: its own `janus` process (VideoRoom + HTTP transport only,
// bench/lib/janus-server.ts) with P werift publishers and either S werift subscribers of the one
// publisher (P = 1) or every publisher's peer subscribed to every other feed (S = P − 1), as the hub side.
// The client is the hub's own (hub/janus/janus-client.ts).
import { rmSync } from 'node:fs';
import { benchDir } from './lib/room.js';
import { JanusSession } from '../hub/janus/janus-client.js';
import { createRoom, type JanusPublisher, type JanusSubscriber, publish, subscribe } from './lib/janus-peers.js';
import { startJanus } from '../tests/helpers/janus-server.js';
import type { Rig } from './sfu-compare-rig.js';
import { SeqLoss } from './sfu-compare-loss.js';

const ROOM = 1234;

export async function janusRig(publishers: number, subscribers: number, iface: string): Promise<Rig> {
  const dir = benchDir(`bench-sfu-janus-${publishers}x${subscribers}`);
  const janus = await startJanus(dir, { iface, rtpPorts: [40000, 49999] });
  const session = await JanusSession.create({ url: janus.url, timeoutMs: 20_000 });
  const pubs: JanusPublisher[] = [];
  const subs: JanusSubscriber[] = [];
  const counters: SeqLoss[][] = [];
  const close = async () => {
    await Promise.all([...pubs, ...subs].map((p) => p.pc.close().catch(() => undefined)));
    await session.destroy();
    await janus.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await createRoom(session, ROOM, Math.max(publishers, 2));
    for (let i = 0; i < publishers; i++) pubs.push(await publish(session, ROOM, `room-${i + 1}`));
    // P = 1: S viewers of feed 0; else everyone watches every other publisher's feed.
    const wanted =
      publishers === 1
        ? Array.from({ length: subscribers }, () => pubs[0]!.feed)
        : pubs.flatMap((p) => pubs.filter((q) => q !== p).map((q) => q.feed));
    for (const feed of wanted) {
      const leg = { video: new SeqLoss(), audio: new SeqLoss() };
      counters.push([leg.video, leg.audio]);
      subs.push(await subscribe(session, ROOM, feed, (kind, rtp) => leg[kind].push(rtp.header.sequenceNumber)));
    }
  } catch (err) {
    await close();
    throw err;
  }
  return {
    sfuPid: janus.child.pid!,
    legsWanted: publishers * subscribers,
    publishers: pubs.map((p) => ({ write: (kind, pkt) => p.tracks[kind].writeRtp(pkt) })),
    legs: () => counters,
    close,
  };
}
