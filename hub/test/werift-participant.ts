import { createSocket, type Socket } from 'node:dgram';
import { MediaStreamTrack, RTCPeerConnection, RtpHeader, RtpPacket, type RTCRtpSender } from 'werift';
import WebSocket from 'ws';
import type { ClientMessage, HubMessage } from '../../common/contracts/signaling/messages.js';
import { hubPeerConfig } from '../sfu/peer-config.js';

// A werift participant for tests: speaks common/contracts/signaling to the hub, publishes generated (or
// GStreamer) RTP, answers subscribe offers and counts what arrives from each publisher.

const peerConfig = hubPeerConfig({ hostAddresses: ['127.0.0.1'], useIpv6: false, stunUrls: [], portMin: 0, portMax: 0 });

export interface ParticipantOptions {
  url: string; // ws://host:port/api/v1/signal
  kind: 'room' | 'officer';
  id: string;
  token?: string;
  hearing?: string;
  /** Generate RTP (fake H.264 frames + Opus-sized audio) once published. */
  generate?: boolean;
}

export class WeriftParticipant {
  ws!: WebSocket;
  messages: HubMessage[] = [];
  participantId = '';
  publishPc: RTCPeerConnection | null = null;
  readonly subs = new Map<string, { pc: RTCPeerConnection; publisher: string; packets: number }>();
  /** Packets received, by publisher id (kept across resubscriptions). */
  readonly received = new Map<string, number>();
  plisReceived = 0;
  keyframeRequests = 0;
  private timers: NodeJS.Timeout[] = [];
  private udp: Socket[] = [];
  private tracks = { video: new MediaStreamTrack({ kind: 'video' }), audio: new MediaStreamTrack({ kind: 'audio' }) };

  constructor(readonly opts: ParticipantOptions) {}

  async connect(): Promise<Extract<HubMessage, { type: 'welcome' }>> {
    const headers = this.opts.token ? { authorization: `Bearer ${this.opts.token}` } : undefined;
    this.ws = new WebSocket(this.opts.url, { headers });
    this.ws.on('message', (d) => void this.onMessage(JSON.parse(String(d)) as HubMessage));
    await new Promise<void>((resolve, reject) => {
      this.ws.once('open', resolve);
      this.ws.once('error', reject);
    });
    this.send({ type: 'hello', protocol: 1, kind: this.opts.kind, id: this.opts.id, hearing: this.opts.hearing });
    const welcome = (await this.next('welcome')) as Extract<HubMessage, { type: 'welcome' }>;
    this.participantId = welcome.participant.id;
    return welcome;
  }

  send(msg: ClientMessage) {
    this.ws.send(JSON.stringify(msg));
  }

  /** Resolves with the oldest unread message of that type (waiting for it if needed). */
  next(type: HubMessage['type'], timeoutMs = 10_000): Promise<HubMessage> {
    return new Promise((resolve, reject) => {
      const found = this.messages.find((m) => m.type === type);
      if (found) {
        this.messages.splice(this.messages.indexOf(found), 1);
        return resolve(found);
      }
      const timer = setTimeout(() => {
        this.ws.off('message', listener);
        reject(new Error(`${this.opts.id}: no "${type}" within ${timeoutMs} ms`));
      }, timeoutMs);
      const check = () => {
        const m = this.messages.find((x) => x.type === type);
        if (!m) return;
        this.messages.splice(this.messages.indexOf(m), 1);
        clearTimeout(timer);
        this.ws.off('message', listener);
        resolve(m);
      };
      const listener = () => setImmediate(check);
      this.ws.on('message', listener);
    });
  }

  async publish(): Promise<void> {
    const pc = new RTCPeerConnection(peerConfig);
    this.tracks = { video: new MediaStreamTrack({ kind: 'video' }), audio: new MediaStreamTrack({ kind: 'audio' }) };
    pc.addTransceiver(this.tracks.audio, { direction: 'sendonly' });
    const video = pc.addTransceiver(this.tracks.video, { direction: 'sendonly' });
    (video.sender as RTCRtpSender).onPictureLossIndication.subscribe(() => this.plisReceived++);
    await pc.setLocalDescription(await pc.createOffer());
    void this.publishPc?.close();
    this.publishPc = pc;
    this.send({ type: 'publish-offer', sdp: pc.localDescription!.sdp });
    const answer = (await this.next('publish-answer')) as Extract<HubMessage, { type: 'publish-answer' }>;
    await pc.setRemoteDescription({ type: 'answer', sdp: answer.sdp });
    if (this.opts.generate && this.timers.length === 0) this.generate();
  }

  /** Fake media: 30 video packets/s (NAL type 1, ~900 B) and 50 audio packets/s. */
  private generate() {
    const ssrc = { video: 0x1234, audio: 0x5678 };
    let seq = 0;
    let aseq = 0;
    this.timers.push(
      setInterval(() => {
        seq = (seq + 1) & 0xffff;
        const header = new RtpHeader({
          payloadType: 96,
          sequenceNumber: seq,
          timestamp: (seq * 3000) >>> 0,
          ssrc: ssrc.video,
          marker: true,
        });
        this.tracks.video.writeRtp(new RtpPacket(header, Buffer.concat([Buffer.from([0x41]), Buffer.alloc(900, seq & 0xff)])));
      }, 33),
      setInterval(() => {
        aseq = (aseq + 1) & 0xffff;
        const header = new RtpHeader({ payloadType: 111, sequenceNumber: aseq, timestamp: (aseq * 960) >>> 0, ssrc: ssrc.audio });
        this.tracks.audio.writeRtp(new RtpPacket(header, Buffer.alloc(80, 1)));
      }, 20),
    );
  }

  /** Real media: RTP on a loopback UDP port (e.g. from gst-launch … ! udpsink) into a track. */
  async listenRtp(kind: 'video' | 'audio'): Promise<number> {
    const sock = createSocket('udp4');
    sock.on('message', (buf) => this.tracks[kind].writeRtp(buf));
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
    this.udp.push(sock);
    return sock.address().port;
  }

  private async onMessage(msg: HubMessage) {
    if (msg.type === 'keyframe-request') this.keyframeRequests++;
    else if (msg.type === 'subscribe-offer') return this.answerSubscription(msg);
    else if (msg.type === 'unsubscribe') {
      void this.subs.get(msg.sid)?.pc.close();
      this.subs.delete(msg.sid);
    }
    this.messages.push(msg);
  }

  private async answerSubscription(msg: Extract<HubMessage, { type: 'subscribe-offer' }>) {
    void this.subs.get(msg.sid)?.pc.close(); // a resubscription reuses the sid
    const pc = new RTCPeerConnection(peerConfig);
    const sub = { pc, publisher: msg.publisher.id, packets: 0 };
    this.subs.set(msg.sid, sub);
    pc.onTrack.subscribe((track) =>
      track.onReceiveRtp.subscribe(() => {
        sub.packets++;
        this.received.set(sub.publisher, (this.received.get(sub.publisher) ?? 0) + 1);
      }),
    );
    await pc.setRemoteDescription({ type: 'offer', sdp: msg.sdp });
    await pc.setLocalDescription(await pc.createAnswer());
    this.send({ type: 'subscribe-answer', sid: msg.sid, sdp: pc.localDescription!.sdp });
  }

  /** Sends a PLI for a publisher's video on our subscribe connection. */
  async sendPli(publisherId: string) {
    const sub = [...this.subs.values()].find((s) => s.publisher === publisherId);
    const receiver = sub?.pc.getTransceivers().find((t) => t.kind === 'video')?.receiver;
    const ssrc = receiver?.tracks[0]?.ssrc;
    if (!receiver || ssrc === undefined) throw new Error(`no video from ${publisherId} yet`);
    await receiver.sendRtcpPLI(ssrc);
  }

  /** Drops everything abruptly (as a lost network would), keeping counters. */
  async drop() {
    this.timers.forEach(clearInterval);
    this.timers = [];
    this.ws.terminate();
    await Promise.all([this.publishPc?.close(), ...[...this.subs.values()].map((s) => s.pc.close())]);
    this.publishPc = null;
    this.subs.clear();
  }

  async close() {
    await this.drop();
    this.udp.forEach((s) => s.close());
    this.udp = [];
  }
}
