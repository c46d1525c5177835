import { describe, expect, it } from 'vitest';
import { RtcpPacketConverter, type TransportWideCC } from 'werift';
import { decodeTwcc, type ParsedTwcc } from '../../common/webrtc/twcc.js';
import { TwccReporter } from './twcc-reporter.js';

const decode = (buf: Buffer) =>
  decodeTwcc((RtcpPacketConverter.deSerialize(buf)[0] as unknown as { feedback: TransportWideCC }).feedback as unknown as ParsedTwcc);

describe('TwccReporter (the hub’s feedback to a publishing room)', () => {
  it('reports every packet since the last report: arrivals, and the ones the link dropped as lost (werift never does)', () => {
    let now = 1_000_000;
    const sent: Buffer[] = [];
    const r = new TwccReporter({ send: (b) => sent.push(b), senderSsrc: 1, mediaSsrc: () => 42, now: () => now, everyMs: 60_000 });
    try {
      for (const seq of [65534, 65535, 0, 3, 4]) {
        r.handleTWCC(seq);
        now += 10;
      }
      now += 200; // past the reorder hold
      r.flush();
      expect(decode(sent[0]!).map((x) => [x.seq, x.arrivalMs === null ? null : x.arrivalMs - 1_000_000])).toEqual([
        [65534, 0],
        [65535, 10],
        [0, 20],
        [1, null],
        [2, null],
        [3, 30],
        [4, 40],
      ]);
      r.handleTWCC(2); // late: already reported lost, not reported again
      r.handleTWCC(5);
      now += 200;
      r.flush();
      expect(decode(sent[1]!).map((x) => x.seq)).toEqual([5]);
      r.flush(); // nothing new: nothing sent
      expect(sent).toHaveLength(2);
    } finally {
      r.stop();
    }
  });

  it('packets reordered by jitter are reported received, not lost; the newest ones wait for the reorder hold', () => {
    let now = 1_000_000;
    const sent: Buffer[] = [];
    const r = new TwccReporter({ send: (b) => sent.push(b), senderSsrc: 1, mediaSsrc: () => 42, now: () => now, everyMs: 60_000 });
    try {
      for (const seq of [1, 0, 3, 2, 5, 4]) {
        r.handleTWCC(seq);
        now += 5;
      }
      r.flush(); // all of them younger than the hold: nothing yet (a missing one may still come)
      expect(sent).toHaveLength(0);
      now += 200;
      r.handleTWCC(6); // new, not settled yet
      r.flush();
      expect(decode(sent[0]!).map((x) => [x.seq, x.arrivalMs !== null])).toEqual([0, 1, 2, 3, 4, 5].map((q) => [q, true]));
      now += 200;
      r.flush();
      expect(decode(sent[1]!).map((x) => x.seq)).toEqual([6]);
    } finally {
      r.stop();
    }
  });
});
