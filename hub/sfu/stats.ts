import type { HearingStore } from '../hearings/hearing-store.js';
import type { Conference } from './conference.js';
import type { Counter, MediaKind } from './source.js';

// Packet counters as JSON (per hearing) and as Prometheus text exposition (the whole hub).

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
        publishState: m.publish?.pc.connectionState ?? null,
        received: src?.received ?? { audio: { packets: 0, bytes: 0 }, video: { packets: 0, bytes: 0 } },
        keyframeRequests: src?.keyframeRequests ?? 0,
      };
    }),
    legs: conference
      .legs()
      .filter((l) => ids.has(l.publisherId))
      .map((l) => ({ sid: l.sid, publisher: l.publisherId, subscriber: l.subscriberId, state: l.state, sent: l.sent, total: sum(l.sent) })),
  };
}

const label = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

export function prometheusText(conference: Conference, store: HearingStore): string {
  const out: string[] = [];
  const metric = (name: string, type: string, help: string, rows: [Record<string, string>, number][]) => {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of rows) {
      const l = Object.entries(labels).map(([k, v]) => `${k}="${label(v)}"`).join(',');
      out.push(`${name}${l ? `{${l}}` : ''} ${value}`);
    }
  };
  const members = conference.members();
  const kinds = ['room', 'officer', 'whip'] as const;
  metric('reception_hub_participants', 'gauge', 'connected participants by kind', kinds.map((k) => [{ kind: k }, members.filter((m) => m.info.kind === k).length]));
  metric('reception_hub_hearings', 'gauge', 'hearings by state', (['active', 'ended'] as const).map((s) => [{ state: s }, store.list().filter((h) => h.state === s).length]));
  const sources = conference.sources();
  const received = (f: keyof Counter) => sources.flatMap((s) => (['audio', 'video'] as const).map((k): [Record<string, string>, number] => [{ participant: s.participantId, kind: k }, s.received[k][f]]));
  metric('reception_hub_received_packets_total', 'counter', 'RTP packets received from each publisher', received('packets'));
  metric('reception_hub_received_bytes_total', 'counter', 'RTP payload bytes received from each publisher', received('bytes'));
  metric('reception_hub_keyframe_requests_total', 'counter', 'keyframe requests (PLI/FIR) passed to each publisher', sources.map((s) => [{ participant: s.participantId }, s.keyframeRequests]));
  const legs = conference.legs();
  const sent = (f: keyof Counter) => legs.flatMap((l) => (['audio', 'video'] as const).map((k): [Record<string, string>, number] => [{ sid: l.sid, publisher: l.publisherId, subscriber: l.subscriberId, kind: k }, l.sent[k][f]]));
  metric('reception_hub_forwarded_packets_total', 'counter', 'RTP packets forwarded on each leg', sent('packets'));
  metric('reception_hub_forwarded_bytes_total', 'counter', 'RTP bytes forwarded on each leg', sent('bytes'));
  metric('reception_hub_legs', 'gauge', 'forwarding legs', [[{}, legs.length]]);
  return out.join('\n') + '\n';
}
