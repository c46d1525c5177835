import { counterFrom, gaugeFrom, type MetricsRegistry, type Row } from '../../common/metrics/registry.js';
import type { HearingStore } from '../hearings/hearing-store.js';
import type { Conference } from './conference.js';
import type { Counter, MediaKind } from './source.js';

// Packet counters as JSON (per hearing) and as Prometheus metrics (the whole hub, common/metrics).

const sum = (c: Record<MediaKind, Counter>) => ({ packets: c.audio.packets + c.video.packets, bytes: c.audio.bytes + c.video.bytes });

export function hearingStats(conference: Conference, hearingId: string) {
  const members = conference.members().filter((m) => m.hearingId === hearingId);
  const ids = new Set(members.map((m) => m.info.id));
  const sources = conference.sources().filter((s) => ids.has(s.participantId));
  return {
    participants: members.map((m) => {
      const src = sources.find((s) => s.participantId === m.info.id);
      return {
        id: m.info.id,
        kind: m.info.kind,
        publishing: m.publish !== null,
        publishState: m.publish?.state ?? null,
        path: m.publish?.path ?? null, // direct UDP or through TURN
        received: conference.received(m.info.id), // null: the media plane does not tell (Janus without its Admin API)
        keyframeRequests: src?.keyframeRequests ?? 0,
      };
    }),
    legs: conference
      .legs()
      .filter((l) => ids.has(l.publisherId))
      // Janus legs: what Janus sent is not read back (null), see hub/janus/README.md.
      .map((l) => ({
        sid: l.sid,
        publisher: l.publisherId,
        subscriber: l.subscriberId,
        state: l.state,
        sent: l.sent,
        total: l.sent && sum(l.sent),
      })),
  };
}

/** The hub's media counters in the process's metrics registry, read from the conference at each scrape. */
export function registerSfuMetrics(registry: MetricsRegistry, conference: Conference, store: HearingStore): void {
  const kinds = ['room', 'officer', 'whip'] as const;
  gaugeFrom(registry, 'reception_hub_participants', 'connected participants by kind', ['kind'], () => {
    const members = conference.members();
    return kinds.map((k) => [{ kind: k }, members.filter((m) => m.info.kind === k).length]);
  });
  gaugeFrom(registry, 'reception_hub_hearings', 'hearings by state', ['state'], () =>
    (['active', 'ended'] as const).map((s) => [{ state: s }, store.list().filter((h) => h.state === s).length]),
  );
  // Rows only for the publishers the media plane has counts for (Janus: none when its Admin API is not read).
  const received = (f: keyof Counter) => (): Row<'participant' | 'kind'>[] =>
    conference
      .receivedCounts()
      .flatMap((s) =>
        (['audio', 'video'] as const).map(
          (k): Row<'participant' | 'kind'> => [{ participant: s.participantId, kind: k }, s.received[k][f]],
        ),
      );
  counterFrom(
    registry,
    'reception_hub_received_packets_total',
    'RTP packets received from each publisher',
    ['participant', 'kind'],
    received('packets'),
  );
  counterFrom(
    registry,
    'reception_hub_received_bytes_total',
    'RTP payload bytes received from each publisher',
    ['participant', 'kind'],
    received('bytes'),
  );
  counterFrom(
    registry,
    'reception_hub_keyframe_requests_total',
    'keyframe requests (PLI/FIR) passed to each publisher',
    ['participant'],
    () => conference.sources().map((s) => [{ participant: s.participantId }, s.keyframeRequests]),
  );
  type LegLabel = 'sid' | 'publisher' | 'subscriber' | 'kind';
  const sent = (f: keyof Counter) => (): Row<LegLabel>[] =>
    conference
      .legs()
      .flatMap((l) =>
        (['audio', 'video'] as const).flatMap((k): Row<LegLabel>[] =>
          l.sent ? [[{ sid: l.sid, publisher: l.publisherId, subscriber: l.subscriberId, kind: k }, l.sent[k][f]]] : [],
        ),
      );
  counterFrom(
    registry,
    'reception_hub_forwarded_packets_total',
    'RTP packets forwarded on each leg',
    ['sid', 'publisher', 'subscriber', 'kind'],
    sent('packets'),
  );
  counterFrom(
    registry,
    'reception_hub_forwarded_bytes_total',
    'RTP bytes forwarded on each leg',
    ['sid', 'publisher', 'subscriber', 'kind'],
    sent('bytes'),
  );
  gaugeFrom(registry, 'reception_hub_legs', 'forwarding legs', [], () => [[{}, conference.legs().length]]);
}
