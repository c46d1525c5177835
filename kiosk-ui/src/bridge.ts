// The gateway's kiosk bridge (gateway/kiosk-bridge/kiosk-signal.ts): the gateway offers one
// sendonly connection with this room's own video (`self`) and every remote participant's audio +
// video; the page answers. Participants changing = a fresh offer. This client never gives up:
// the WebSocket reconnects with backoff (250 ms → 500 ms, reconnecting-socket.ts; reset once the video
// connection is up), and a connection without frames for 10 s is rebuilt.

import { reconnectingSocket } from './reconnecting-socket.js';

export interface BridgeStream {
  mid: string;
  kind: 'video' | 'audio';
  participant: string;
  name: string;
  self: boolean;
}

export interface BridgeEvents {
  /** A fresh connection: one MediaStream per participant (audio + video grouped). */
  onMedia(media: { participant: string; name: string; self: boolean; stream: MediaStream }[]): void;
  onUp(up: boolean): void;
  /** Participants whose video frames advanced since the last check. */
  onFlowing(participants: Set<string>): void;
  onError(where: string, err: unknown): void;
}

const STALL_MS = 10_000;

/**
 * `protocols` gives the subprotocols of each attempt: the bridge wants a fresh one-use ticket from the
 * daemon every time (GET /api/v1/kiosk/bridge-ticket), offered beside 'reception-kiosk.v1'.
 */
export function createBridge(url: string, protocols: () => Promise<string[]>, ev: BridgeEvents) {
  let pc: RTCPeerConnection | null = null;
  let streams: BridgeStream[] = [];
  let lastProgress = Date.now();
  let offeredAt = 0;
  const frames = new Map<string, number>(); // mid → framesDecoded

  const send = (msg: object) => socket.send(msg);
  const dropPeer = () => {
    pc?.close();
    pc = null;
    frames.clear();
  };

  async function onOffer(msg: { sdp: string; streams: BridgeStream[] }) {
    dropPeer();
    streams = msg.streams;
    offeredAt = Date.now();
    const peer = (pc = new RTCPeerConnection());
    const byParticipant = new Map<string, { participant: string; name: string; self: boolean; stream: MediaStream }>();
    for (const s of streams)
      if (!byParticipant.has(s.participant + (s.self ? '#self' : '')))
        byParticipant.set(s.participant + (s.self ? '#self' : ''), {
          participant: s.participant,
          name: s.name,
          self: s.self,
          stream: new MediaStream(),
        });
    peer.ontrack = (e) => {
      const info = streams.find((s) => s.mid === e.transceiver.mid);
      if (info) byParticipant.get(info.participant + (info.self ? '#self' : ''))?.stream.addTrack(e.track);
    };
    peer.onconnectionstatechange = () => {
      if (peer !== pc) return;
      if (peer.connectionState === 'connected') socket.healthy(), ev.onUp(true);
      if (peer.connectionState === 'failed') ev.onUp(false), send({ type: 'request-offer' });
    };
    await peer.setRemoteDescription({ type: 'offer', sdp: msg.sdp });
    await peer.setLocalDescription(await peer.createAnswer());
    if (peer !== pc) return;
    send({ type: 'answer', sdp: peer.localDescription?.sdp });
    lastProgress = Date.now();
    ev.onMedia([...byParticipant.values()]);
  }

  function onMessage(data: string) {
    let msg: { type?: string; sdp?: string; streams?: BridgeStream[] };
    try {
      msg = JSON.parse(data);
    } catch {
      return;
    }
    if (msg.type === 'offer' && msg.sdp && msg.streams)
      onOffer(msg as { sdp: string; streams: BridgeStream[] }).catch((err) => ev.onError('bridge offer', err));
    // Someone joined or left: drop this connection and ask for one with the new set of streams.
    if (msg.type === 'participants-changed') dropPeer(), send({ type: 'request-offer' });
  }

  const socket = reconnectingSocket({
    url: () => url,
    protocols,
    healthyOnOpen: false,
    // Loopback to the gateway: a refused attempt costs nothing, and a restarted gateway is the officer's
    // picture back as soon as it listens (issue 15: 1 s → 5 s left the kiosk 2–3 s behind a ready gateway).
    backoff: { baseMs: 250, maxMs: 500 },
    onMessage,
    onOpen: () => (lastProgress = Date.now()),
    onClose: () => (dropPeer(), ev.onUp(false)),
    onError: (err) => ev.onError('bridge', err),
  });

  /** Which videos advance; nothing at all for 10 s → rebuild. */
  async function watch() {
    if (!pc || pc.connectionState !== 'connected') {
      if (socket.open && Date.now() - lastProgress > STALL_MS) rebuild();
      return;
    }
    const flowing = new Set<string>();
    const report = await pc.getStats();
    report.forEach((s: { type: string; kind?: string; mid?: string; framesDecoded?: number }) => {
      if (s.type !== 'inbound-rtp' || s.kind !== 'video' || s.mid === undefined) return;
      const before = frames.get(s.mid) ?? 0;
      const now = s.framesDecoded ?? 0;
      frames.set(s.mid, now);
      const info = streams.find((x) => x.mid === s.mid);
      if (now > before && info) flowing.add(info.self ? '#self' : info.participant);
    });
    if (flowing.size > 0) lastProgress = Date.now();
    ev.onFlowing(flowing);
    if (Date.now() - lastProgress > STALL_MS) rebuild();
  }

  function rebuild() {
    lastProgress = Date.now();
    dropPeer();
    if (!send({ type: 'request-offer' })) socket.drop();
  }

  // Every 2 s; every 250 ms while a video of this connection has shown no frame yet, so the banner says
  // "in hearing" as the officer's first frame arrives, not up to 2 s later.
  // (Bounded: a participant without a camera never shows a frame.)
  const waitingForFirstFrame = () =>
    !!pc && Date.now() - offeredAt < STALL_MS && streams.some((s) => s.kind === 'video' && !frames.get(s.mid));
  let timer: ReturnType<typeof setTimeout>;
  let stopped = false;
  const loop = () => {
    if (stopped) return;
    timer = setTimeout(
      () => void watch().then(loop, (err) => (ev.onError('bridge stats', err), loop())),
      waitingForFirstFrame() ? 250 : 2000,
    );
  };
  loop();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
      socket.stop();
      dropPeer();
    },
  };
}
