import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roomId, startTestHub, waitFor } from '../../hub/test/hub-fixture.js';
import { WeriftParticipant } from '../../hub/test/werift-participant.js';

// Three werift rooms and one observing officer in one hearing, through the real hub SFU on loopback.

describe('hub SFU with werift participants', () => {
  let hub: Awaited<ReturnType<typeof startTestHub>>;
  let rooms: WeriftParticipant[];
  let observer: WeriftParticipant;
  let hearingId: string;

  beforeAll(async () => {
    hub = await startTestHub({ rooms: 3 });
    const res = await hub.app.inject({
      method: 'POST',
      url: '/api/v1/hearings',
      payload: { title: 'Phiên thử', rooms: [1, 2, 3].map(roomId) },
    });
    hearingId = res.json().id;
    rooms = [1, 2, 3].map(
      (n) => new WeriftParticipant({ url: hub.signalUrl, kind: 'room', id: roomId(n), token: hub.roomToken(n), generate: true }),
    );
    observer = new WeriftParticipant({ url: hub.signalUrl, kind: 'officer', id: 'Quan sát viên', hearing: hearingId });
    await Promise.all([...rooms, observer].map((p) => p.connect()));
    await Promise.all(rooms.map((r) => r.publish()));
  });

  afterAll(async () => {
    await Promise.all([...(rooms ?? []), observer].map((p) => p?.close()));
    await hub?.stop();
  });

  const everyoneReceives = (from: WeriftParticipant[], to: WeriftParticipant[], min: number) =>
    waitFor(
      () => to.every((s) => from.every((p) => p === s || (s.received.get(p.participantId) ?? 0) >= min)),
      15_000,
      'media on every leg',
    );

  it('every participant receives every other room', async () => {
    await everyoneReceives(rooms, [...rooms, observer], 30);
    const stats = (await hub.app.inject({ url: `/api/v1/hearings/${hearingId}/stats` })).json();
    expect(stats.participants).toHaveLength(4);
    expect(stats.legs).toHaveLength(9); // 3 rooms × (2 other rooms + observer)
    for (const leg of stats.legs) expect(leg.sent.video.packets).toBeGreaterThan(0);
    const metrics = (await hub.app.inject({ url: '/metrics' })).body;
    expect(metrics).toMatch(
      /reception_hub_forwarded_packets_total\{sid="[^"]+",publisher="room-demo",subscriber="room-2",kind="video"\} [1-9]/,
    );
    expect(metrics).toContain('reception_hub_participants{kind="room"} 3');
  });

  it('a PLI from a subscriber reaches the publisher (RTCP and keyframe-request)', async () => {
    const publisher = rooms[0]!;
    await new Promise((r) => setTimeout(r, 400)); // past the hub's keyframe hold-off
    const [plis, requests] = [publisher.plisReceived, publisher.keyframeRequests];
    await observer.sendPli(publisher.participantId);
    await waitFor(() => publisher.plisReceived > plis && publisher.keyframeRequests > requests, 5000, 'PLI at the publisher');
  });

  it('a room that drops and returns is re-attached and receives again', async () => {
    const dropped = rooms[1]!;
    await dropped.drop();
    await waitFor(() => !hub.conference.member(dropped.participantId), 5000, 'hub notices the drop');
    expect(observer.messages.some((m) => m.type === 'unsubscribe')).toBe(true);
    const again = new WeriftParticipant({ url: hub.signalUrl, kind: 'room', id: roomId(2), token: hub.roomToken(2), generate: true });
    rooms[1] = again;
    const welcome = await again.connect();
    expect(welcome.hearing?.id).toBe(hearingId);
    await again.publish();
    const before = new Map([...observer.received]);
    await everyoneReceives(rooms, [...rooms, observer], 30);
    await waitFor(
      () => (observer.received.get(again.participantId) ?? 0) > (before.get(again.participantId) ?? 0) + 30,
      10_000,
      'observer sees the returned room',
    );
  });

  it('a new publish offer (ICE restart) replaces the connection without new subscriptions', async () => {
    const room = rooms[2]!;
    const before = observer.received.get(room.participantId) ?? 0;
    const subsBefore = observer.subs.size;
    await room.publish();
    await waitFor(() => (observer.received.get(room.participantId) ?? 0) > before + 30, 10_000, 'media after re-publish');
    expect(observer.subs.size).toBe(subsBefore);
  });
});
