import { createSocket, type Socket } from 'node:dgram';
import { createServer, type Server } from 'node:http';
import { MediaStreamTrack, type RTCPeerConnection } from 'werift';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ClientMessage, HubMessage } from '../../common/contracts/signaling/messages.js';
import { parseClientMessage } from '../../common/contracts/signaling/parse-message.js';
import { closeQuietly, completeLocalSdp, createPeer } from '../peer/peer-config.js';

/**
 * A small but real hub side for tests (werift, the signaling protocol, Bearer auth), used until or
 * beside the real hub: it answers the room's publish offer and counts the video packets that
 * arrive, and it can offer a remote participant's media (RTP from its own UDP port) to the room.
 */
export async function startTestHub(opts: { port: number; secret: string }) {
  const http: Server = createServer();
  const wss = new WebSocketServer({ noServer: true });
  let socket: WebSocket | undefined;
  let publishPc: RTCPeerConnection | undefined;
  const counts = { videoPackets: 0, publishOffers: 0, iceRestartOffers: 0, hellos: 0, keyframeRequestsSeen: 0 };
  const subs = new Map<string, { pc: RTCPeerConnection; udp: Socket }>();
  const answers = new Map<string, (sdp: string) => void>();

  http.on('upgrade', (req, sock, head) => {
    if (!req.url?.startsWith('/api/v1/signal') || req.headers.authorization !== `Bearer ${opts.secret}`) {
      sock.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, sock, head, (ws) => onSocket(ws));
  });
  const send = (msg: HubMessage) => socket?.send(JSON.stringify(msg));

  function onSocket(ws: WebSocket): void {
    socket?.terminate();
    socket = ws;
    ws.on('message', (raw: Buffer) => {
      const parsed = parseClientMessage(raw);
      if (parsed.ok) void onMessage(parsed.msg);
    });
  }

  async function onMessage(msg: ClientMessage): Promise<void> {
    if (msg.type === 'hello') {
      counts.hellos++;
      const me = { id: msg.id, kind: msg.kind, name: msg.name ?? msg.id };
      send({ type: 'welcome', participant: me, hearing: { id: 'hearing-1', title: 'Phiên tiếp công dân thử', participants: [me] } });
    } else if (msg.type === 'ping') send({ type: 'pong', at: msg.at });
    else if (msg.type === 'subscribe-answer') answers.get(msg.sid)?.(msg.sdp);
    else if (msg.type === 'publish-offer') {
      counts.publishOffers++;
      // An ICE restart is applied to the existing connection; any other offer replaces it.
      if (msg.iceRestart && publishPc && publishPc.connectionState !== 'closed') counts.iceRestartOffers++;
      else {
        await closeQuietly(publishPc);
        publishPc = createPeer();
        publishPc.onTrack.subscribe((t) => t.kind === 'video' && t.onReceiveRtp.subscribe(() => counts.videoPackets++));
      }
      await publishPc.setRemoteDescription({ type: 'offer', sdp: msg.sdp });
      await publishPc.setLocalDescription(await publishPc.createAnswer());
      send({ type: 'publish-answer', sdp: await completeLocalSdp(publishPc) });
    }
  }

  await new Promise<void>((r) => http.listen(opts.port, '127.0.0.1', r));
  return {
    url: `ws://127.0.0.1:${opts.port}/api/v1/signal`,
    counts,
    connected: () => socket !== undefined && socket.readyState === socket.OPEN,
    publishPc: () => publishPc,
    /** Raw text to the room: malformed-message tests. */
    sendRaw: (text: string) => socket?.send(text),
    send,
    /** Offers a remote participant whose media is the RTP arriving on `rtpPorts` (H.264 pt 96, Opus pt 111). */
    async offerParticipant(
      sid: string,
      participant: { id: string; name: string },
      rtpPorts: { video: number; audio: number },
    ): Promise<void> {
      const pc = createPeer();
      const tracks = { video: new MediaStreamTrack({ kind: 'video' }), audio: new MediaStreamTrack({ kind: 'audio' }) };
      pc.addTransceiver(tracks.video, { direction: 'sendonly' });
      pc.addTransceiver(tracks.audio, { direction: 'sendonly' });
      const udp = createSocket('udp4');
      udp.on('message', (buf) => pc.connectionState === 'connected' && tracks.video.writeRtp(buf));
      await new Promise<void>((r) => udp.bind(rtpPorts.video, '127.0.0.1', r));
      const audioUdp = createSocket('udp4');
      audioUdp.on('message', (buf) => pc.connectionState === 'connected' && tracks.audio.writeRtp(buf));
      await new Promise<void>((r) => audioUdp.bind(rtpPorts.audio, '127.0.0.1', r));
      udp.on('close', () => audioUdp.close());
      subs.set(sid, { pc, udp });
      await pc.setLocalDescription(await pc.createOffer());
      const answered = new Promise<string>((r) => answers.set(sid, r));
      send({ type: 'subscribe-offer', sid, publisher: { ...participant, kind: 'officer' }, sdp: await completeLocalSdp(pc) });
      await pc.setRemoteDescription({ type: 'answer', sdp: await answered });
    },
    async unsubscribe(sid: string): Promise<void> {
      send({ type: 'unsubscribe', sid });
      const s = subs.get(sid);
      subs.delete(sid);
      s?.udp.close();
      await closeQuietly(s?.pc);
    },
    /** Drops the room's signaling socket (the hub restarting, as the room sees it). */
    dropSocket: () => socket?.terminate(),
    async stop(): Promise<void> {
      for (const sid of [...subs.keys()]) await this.unsubscribe(sid);
      socket?.terminate();
      await closeQuietly(publishPc);
      wss.close();
      http.closeAllConnections();
      await new Promise<void>((r) => http.close(() => r()));
    },
  };
}
export type TestHub = Awaited<ReturnType<typeof startTestHub>>;
