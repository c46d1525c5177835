import { MediaStream, MediaStreamTrack, type RTCPeerConnection, type RTCRtpCodecParameters } from 'werift';
import { closeQuietly, completeLocalSdp, createPeer, H264_CODEC } from '../peer/peer-config.js';
import { isKeyframeRequest } from '../peer/rtcp-keyframe.js';
import type { RtpSource } from '../uplink/rtp-source.js';
import type { Subscriptions } from '../uplink/subscriptions.js';

/** What the page needs to label each incoming track. `participant` is the room id for the self-view. */
export interface KioskStream {
  mid: string;
  kind: 'video' | 'audio';
  participant: string;
  name: string;
  self: boolean;
}

export interface KioskPeerDeps {
  room: { id: string; name: string };
  source: RtpSource;
  subscriptions: Subscriptions;
  onSelfKeyframe: () => void;
}

/**
 * One kiosk page's connection, built whole for the participants of the moment (sendonly from
 * the gateway): the room's own video, then audio + video of every remote participant, re-sent
 * packet by packet from the subscribe tracks (no decoding). Participants changing = a new one.
 */
export async function createKioskPeer(deps: KioskPeerDeps) {
  const pc: RTCPeerConnection = createPeer({ receiveAnyVideo: true });
  const disposers: (() => void)[] = [];
  const labels: Omit<KioskStream, 'mid'>[] = [];
  const transceivers: ReturnType<RTCPeerConnection['addTransceiver']>[] = [];

  function addOut(
    kind: 'video' | 'audio',
    label: Omit<KioskStream, 'mid' | 'kind'>,
    codec: RTCRtpCodecParameters | undefined,
    onPli: () => void,
  ) {
    const track = new MediaStreamTrack({ kind });
    // The stream id carries the participant, so the page can group audio with video.
    const t = pc.addTransceiver(track, { direction: 'sendonly', streams: [new MediaStream({ id: label.participant })] });
    if (codec) t.codecs = [codec];
    if (kind === 'video') t.sender.onRtcp.subscribe((p) => isKeyframeRequest(p) && onPli());
    transceivers.push(t);
    labels.push({ kind, ...label });
    disposers.push(() => track.stop());
    return track;
  }

  const self = { participant: deps.room.id, name: deps.room.name, self: true };
  const selfTrack = addOut('video', self, H264_CODEC(), deps.onSelfKeyframe);
  disposers.push(
    deps.source.addSink((kind, packet) => kind === 'video' && pc.connectionState === 'connected' && selfTrack.writeRtp(packet)),
  );

  for (const feed of deps.subscriptions.list()) {
    const label = { participant: feed.participant.id, name: feed.participant.name, self: false };
    for (const kind of ['audio', 'video'] as const) {
      const remote = feed.tracks[kind];
      if (!remote) continue;
      const codec = kind === 'video' ? deps.subscriptions.videoCodec(feed) : undefined;
      const out = addOut(kind, label, codec, () => deps.subscriptions.requestKeyframe(feed.sid));
      // serialize() = a private copy: each werift sender rewrites the header of what it is given.
      const { unSubscribe } = remote.track.onReceiveRtp.subscribe(
        (rtp) => pc.connectionState === 'connected' && out.writeRtp(rtp.serialize()),
      );
      disposers.push(unSubscribe);
    }
  }

  // A new page's decoders start only at a keyframe: ask for one of every stream once connected.
  pc.connectionStateChange.subscribe((s) => {
    if (s !== 'connected') return;
    deps.onSelfKeyframe();
    for (const feed of deps.subscriptions.list()) deps.subscriptions.requestKeyframe(feed.sid);
  });

  await pc.setLocalDescription(await pc.createOffer());
  const sdp = await completeLocalSdp(pc);
  const streams: KioskStream[] = transceivers.map((t, i) => ({ mid: t.mid ?? String(i), ...labels[i] }));

  return {
    pc,
    offer: { sdp, streams },
    async applyAnswer(answer: string): Promise<void> {
      await pc.setRemoteDescription({ type: 'answer', sdp: answer });
    },
    async close(): Promise<void> {
      disposers.splice(0).forEach((d) => d());
      await closeQuietly(pc);
    },
  };
}
export type KioskPeer = Awaited<ReturnType<typeof createKioskPeer>>;
