import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RtpPacket } from 'werift';
import { WeriftParticipant } from '../../hub/test/werift-participant.js';
import { startHubProcess, startLinkedRoom } from '../helpers/hub-process.js';
import { json } from '../helpers/room-processes.js';
import { until } from '../helpers/until.js';

// Issue 12 item 3: kill -9 of the room's media worker in a hearing — how long until an officer at the hub
// has frames again (a keyframe of the new worker's stream: a decoder can show nothing before it). Real
// processes (hub; sims, daemon + worker, gateway), loopback. The figure is printed; the assert has wide
// slack (a loaded 2-core box); the target (3 s) is in the issue.

/** H.264 over RTP (RFC 6184): does this packet start or carry an IDR (5) or SPS (7)? */
function carriesKeyframe(payload: Buffer): boolean {
  if (payload.length < 2) return false;
  const type = payload[0]! & 0x1f;
  if (type === 5 || type === 7) return true;
  if (type === 28) return (payload[1]! & 0x80) !== 0 && (payload[1]! & 0x1f) === 5; // FU-A start of an IDR
  if (type === 24) {
    for (let i = 1; i + 2 < payload.length; ) {
      const size = payload.readUInt16BE(i);
      const t = payload[i + 2]! & 0x1f;
      if (t === 5 || t === 7) return true;
      i += 2 + size;
    }
  }
  return false;
}

describe('fast return after a media worker kill -9 (real processes)', () => {
  let hub: Awaited<ReturnType<typeof startHubProcess>>;
  let room: Awaited<ReturnType<typeof startLinkedRoom>>;
  let officer: WeriftParticipant | undefined;
  const keyframesAt: number[] = [];
  const packetsAt: number[] = [];
  const switchesAt: number[] = []; // arrival of the first packet of a new worker's stream
  let lastTimestamp: number | undefined;
  const hooked = new WeakSet<object>();

  const hook = () => {
    for (const sub of officer?.subs.values() ?? []) {
      for (const t of sub.pc.getTransceivers()) {
        for (const track of t.receiver.tracks) {
          if (track.kind !== 'video' || hooked.has(track)) continue;
          hooked.add(track);
          track.onReceiveRtp.subscribe((p: RtpPacket) => {
            packetsAt.push(performance.now());
            // The gateway hands werift a new worker's stream with replaceRTP(…, true): werift continues the
            // RTP clock at the last timestamp + 1 — a step no frame of a running stream makes.
            const ts = p.header.timestamp;
            if (lastTimestamp !== undefined && (ts - lastTimestamp) >>> 0 === 1) switchesAt.push(performance.now());
            lastTimestamp = ts;
            if (carriesKeyframe(p.payload)) keyframesAt.push(performance.now());
          });
        }
      }
    }
  };

  beforeAll(async () => {
    hub = await startHubProcess(1);
    room = await startLinkedRoom(hub, 1, { picture: true });
  }, 180_000);
  afterAll(async () => {
    await officer?.close().catch(() => undefined);
    await room?.stop();
    await hub?.stop();
  });

  it('the officer has a keyframe of the new worker within a few seconds', async () => {
    const hearing = (
      await json(`${hub.url}/api/v1/hearings`, { method: 'POST', body: JSON.stringify({ title: 'Phiên thử sự cố', rooms: ['room-demo'] }) })
    ).body.id as string;
    officer = new WeriftParticipant({ url: hub.signalUrl, kind: 'officer', id: 'Cán bộ tiếp dân', hearing });
    await officer.connect();
    await until('a video track at the officer', 60_000, () => (hook(), packetsAt.length > 0));
    await until('a keyframe at the officer', 30_000, () => (hook(), keyframesAt.length > 0));
    const pid = (await json(`${room.api}/api/v1/media/status`)).body.workerPid as number;
    expect(pid).toBeGreaterThan(0);
    const killedAt = performance.now();
    process.kill(pid, 'SIGKILL');
    const newWorker = await until('a new worker', 60_000, async () => {
      const s = (await json(`${room.api}/api/v1/media/status`)).body;
      return s.workerPid && s.workerPid !== pid && s.state === 'running' ? performance.now() : 0;
    });
    // The old worker's last packets are still on their way at the kill (the gateway's pacer spreads a
    // keyframe over ~100 ms, and a worker back in < 300 ms leaves no gap to see): the new worker's stream
    // is told by its RTP clock step; frames again = the first keyframe from that packet on.
    const firstPacket = await until(
      "the new worker's stream at the officer",
      60_000,
      () => (hook(), switchesAt.find((t) => t > killedAt)),
      20,
    );
    const frames = await until('a keyframe of the new stream', 60_000, () => (hook(), keyframesAt.find((t) => t >= firstPacket)), 20);
    const r = (ms: number | undefined) => (ms === undefined ? 'n/a' : Math.round(ms - killedAt));
    console.log(
      `worker kill -9 → new worker running ${r(newWorker)} ms, first packet of the new stream ${r(firstPacket)} ms, keyframe at the officer ${r(frames)} ms`,
    );
    expect(frames - killedAt).toBeLessThan(20_000); // target 3 s (issue 12); the figure is the result
  }, 240_000);
});
