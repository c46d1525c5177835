import { createSocket, type Socket } from 'node:dgram';
import type { Logger } from '../../common/log.js';

export type MediaKind = 'video' | 'audio';
export type RtpSink = (kind: MediaKind, packet: Buffer) => void;

export interface RtpSourceDeps {
  host: string;
  videoPort: number;
  audioPort: number;
  logger: Logger;
}

/**
 * The media worker's RTP, received on loopback UDP and fanned out to sinks (the publish connection,
 * each kiosk self-view). Each sink gets the same Buffer and must not mutate it: werift parses a
 * fresh packet per `writeRtp(buffer)`, so every connection rewrites its own copy of the header.
 */
export function createRtpSource(deps: RtpSourceDeps) {
  const sinks = new Set<RtpSink>();
  const sockets: Socket[] = [];
  const counts = { video: 0, audio: 0 };
  let lastVideoAt = 0;

  async function bind(kind: MediaKind, port: number): Promise<void> {
    const socket = createSocket({ type: 'udp4', recvBufferSize: 4 * 1024 * 1024 });
    socket.on('message', (packet) => {
      if (packet.length < 12 || packet[0] >> 6 !== 2) return; // not RTP v2
      counts[kind]++;
      if (kind === 'video') lastVideoAt = Date.now();
      for (const sink of sinks) sink(kind, packet);
    });
    socket.on('error', (err) => deps.logger.error({ err, kind, port }, 'RTP socket error'));
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, deps.host, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    sockets.push(socket);
  }

  return {
    async start(): Promise<void> {
      await bind('video', deps.videoPort);
      await bind('audio', deps.audioPort);
      deps.logger.info({ videoPort: deps.videoPort, audioPort: deps.audioPort }, 'listening for media worker RTP');
    },
    async stop(): Promise<void> {
      sinks.clear();
      await Promise.all(sockets.splice(0).map((s) => new Promise<void>((r) => s.close(() => r()))));
    },
    /** Returns the unsubscribe function. */
    addSink(sink: RtpSink): () => void {
      sinks.add(sink);
      return () => sinks.delete(sink);
    },
    counts: () => ({ ...counts }),
    /** True while the worker sends video (a silent worker is worth a line in /state). */
    videoFlowing: () => Date.now() - lastVideoAt < 2000,
  };
}
export type RtpSource = ReturnType<typeof createRtpSource>;
