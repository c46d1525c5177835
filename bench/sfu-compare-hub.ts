// The hub side of bench/sfu-compare.ts: a `reception hub` process (its werift SFU) with P werift
// publishers (enrolled rooms, hub/test/werift-participant.ts, as bench/hub-fanout-cpu.ts) and either
// S officers subscribed to the one publisher (P = 1) or every room subscribed to every other (S = P − 1).
import { rmSync } from 'node:fs';
import type { MediaStreamTrack, RTCPeerConnection } from 'werift';
import { WeriftParticipant } from '../hub/test/werift-participant.js';
import { benchDir, demoRoom, startHub } from './lib/room.js';
import type { Rig } from './sfu-compare-rig.js';
import { SeqLoss } from './sfu-compare-loss.js';

type Tracks = Record<'video' | 'audio', MediaStreamTrack>;
const tracksOf = (p: WeriftParticipant) => (p as unknown as { tracks: Tracks }).tracks; // the test participant keeps them private

/** `hearings` hearings of that shape on one hub process (bench/sfu-compare-workers.ts splits load over hubs). */
export async function hubRig(publishers: number, subscribers: number, hearings = 1): Promise<Rig> {
  const dir = benchDir(`bench-sfu-hub-${hearings}x${publishers}x${subscribers}`);
  const hub = await startHub(dir, publishers * hearings);
  const rooms = Array.from(
    { length: publishers * hearings },
    (_, i) => new WeriftParticipant({ url: hub.signal, kind: 'room', id: demoRoom(i + 1).id, token: hub.tokens[i]! }),
  );
  const officers: WeriftParticipant[] = [];
  const close = async () => {
    await Promise.all([...rooms, ...officers].map((p) => p.close().catch(() => undefined)));
    await hub.stop('SIGTERM', 3000);
    if (process.env.BENCH_SFU_KEEP !== '1') rmSync(dir, { recursive: true, force: true }); // BENCH_SFU_KEEP=1: keep hub.log
  };
  try {
    for (const r of rooms) await r.connect();
    for (const r of rooms) await r.publish();
    for (let h = 0; h < hearings; h++) {
      const res = await fetch(`${hub.url}/api/v1/hearings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title: `bench ${h + 1}`, rooms: rooms.slice(h * publishers, (h + 1) * publishers).map((r) => r.opts.id) }),
      });
      if (res.status !== 201) throw new Error(`hearing: ${res.status} ${await res.text()}`);
      const hearing = ((await res.json()) as { id: string }).id;
      if (publishers === 1)
        for (let i = 0; i < subscribers; i++) {
          const o = new WeriftParticipant({ url: hub.signal, kind: 'officer', id: `Cán bộ ${h + 1}.${i + 1}`, hearing });
          officers.push(o);
          await o.connect();
        }
    }
  } catch (err) {
    await close();
    throw err;
  }
  const watchers = publishers === 1 ? officers : rooms;
  // Count every leg's packets by sequence number once its tracks exist (after the subscriber answered).
  const counted = new Map<RTCPeerConnection, SeqLoss[]>();
  const legs = () => {
    for (const w of watchers)
      for (const { pc } of w.subs.values()) {
        if (counted.has(pc)) continue;
        const tracks = pc.getTransceivers().flatMap((t) => t.receiver.tracks);
        if (tracks.length < 2) continue;
        const losses = tracks.map((t) => {
          const l = new SeqLoss();
          t.onReceiveRtp.subscribe((rtp) => l.push(rtp.header.sequenceNumber));
          return l;
        });
        counted.set(pc, losses);
      }
    return [...counted.values()];
  };
  return {
    sfuPid: hub.child.pid!,
    legsWanted: publishers * subscribers * hearings,
    publishers: rooms.map((r) => ({ write: (kind, pkt) => r.publishPc && tracksOf(r)[kind].writeRtp(pkt) })),
    legs,
    close,
  };
}
