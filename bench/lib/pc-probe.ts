// A page init script (bench/time-to-picture.ts): every WebSocket's open time goes to window.__ws, every
// RTCPeerConnection the page makes is recorded in window.__ttp with wall-clock times (Date.now, the bench's clock too) of its steps, and its incoming
// video tracks' first RTP packet and first decoded frame (getStats every 15 ms until each has a frame).

interface TrackRecord {
  rtp?: number;
  frame?: number;
  keyframes?: number;
  pli?: number;
}
export interface WsRecord {
  url: string;
  created: number;
  open?: number;
}
export interface PcRecord {
  created: number;
  offerSet?: number;
  iceConnected?: number;
  connected?: number;
  closed?: number;
  /** by track id (the receiver's MediaStreamTrack.id = getStats trackIdentifier) */
  tracks: Record<string, TrackRecord>;
}

// Plain JS text (not a function's toString(): the TS runner may wrap functions in helpers the page lacks).
export const PC_PROBE = `(() => {
  window.__ttp = [];
  window.__ws = [];
  const NativeWs = window.WebSocket;
  window.WebSocket = class extends NativeWs {
    constructor(url, protocols) {
      super(url, protocols);
      const rec = { url: String(url), created: Date.now() };
      window.__ws.push(rec);
      this.addEventListener('open', () => (rec.open = Date.now()));
    }
  };
  const Native = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends Native {
    constructor(cfg) {
      super(cfg);
      const rec = (this.__rec = { created: Date.now(), tracks: {} });
      window.__ttp.push(rec);
      this.addEventListener('iceconnectionstatechange', () => {
        if (this.iceConnectionState === 'connected') rec.iceConnected ??= Date.now();
      });
      this.addEventListener('connectionstatechange', () => {
        if (this.connectionState === 'connected') rec.connected ??= Date.now();
        if (this.connectionState === 'closed' || this.connectionState === 'failed') rec.closed ??= Date.now();
      });
      const until = Date.now() + 60000;
      const tick = async () => {
        if (this.signalingState === 'closed' || Date.now() > until) return;
        const report = await this.getStats().catch(() => null);
        let pending = this.getReceivers().some((r) => r.track.kind === 'video' && !rec.tracks[r.track.id]?.frame);
        report?.forEach((s) => {
          if (s.type !== 'inbound-rtp' || s.kind !== 'video' || !s.trackIdentifier) return;
          const t = (rec.tracks[s.trackIdentifier] ??= {});
          if (s.packetsReceived > 0) t.rtp ??= Date.now();
          if (s.framesDecoded > 0 && !t.frame) Object.assign(t, { frame: Date.now(), keyframes: s.keyFramesDecoded, pli: s.pliCount });
          if (!t.frame) pending = true;
        });
        if (pending || !report) setTimeout(tick, 15);
      };
      setTimeout(tick, 15);
    }
    async setRemoteDescription(d) {
      const r = await super.setRemoteDescription(d);
      if (d && d.type === 'offer') this.__rec.offerSet ??= Date.now();
      return r;
    }
  };
})();`;
