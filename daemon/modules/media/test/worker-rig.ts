import { pino } from 'pino';
import { createRtspPicture, type RtspPicture } from '../../../../simulators/rtsp-picture/index.js';
import { freePort } from '../../../../tests/helpers/free-port.js';
import { until } from '../../../../tests/helpers/until.js';
import { validateConfig } from '../../../config/load-config.js';
import { createEventBus, type MediaEvent } from '../../events/event-bus.js';
import { createMedia, type Media } from '../create-media.js';
import { ensureWorkerBuilt } from '../ensure-built.js';
import { rtpProbe, type RtpProbe } from '../rtp-probe.js';

// Shared by the real-worker tests (worker-fds, worker-sigstop): the built media worker as the daemon runs it
// (createMedia) on a simulated RTSP camera — a separate server the test can stop and start — with RTP probes
// where the gateway would listen, the bus's media events (with when they came) and the daemon's log lines.

export interface WorkerRigOptions {
  /** The camera simulator's name (its picture's caption). */
  camera: string;
  lossTimeoutMs: number;
  /** The supervisor's silence limit for the worker. */
  silenceMs: number;
  /** How long the first picture may take to reach the air (a wide ceiling, not a speed check). */
  onAirMs: number;
}

export class WorkerRig {
  picture!: RtspPicture;
  video!: RtpProbe;
  audio!: RtpProbe;
  media!: Media;
  readonly events: (MediaEvent & { at: number })[] = [];
  readonly lines: string[] = [];

  /** Builds the worker if needed, starts the camera, probes and worker; resolves once the primary is on air. */
  async start(o: WorkerRigOptions) {
    ensureWorkerBuilt();
    this.picture = createRtspPicture({ port: await freePort(), name: o.camera });
    await this.picture.start();
    this.video = await rtpProbe();
    this.audio = await rtpProbe();
    const bus = createEventBus();
    bus.on('media', (e) => this.events.push({ ...e, at: Date.now() }));
    const config = validateConfig({
      media: {
        rtspUri: this.picture.rtspUri,
        lossTimeoutMs: o.lossTimeoutMs,
        videoRtpPort: this.video.port,
        audioRtpPort: this.audio.port,
      },
    }).media;
    const logger = pino({ level: 'info' }, { write: (l: string) => void this.lines.push(l) });
    this.media = createMedia({ config, room: { name: 'Phòng thử' }, cameras: new Map(), bus, logger, silenceMs: o.silenceMs });
    await this.media.start();
    await until('primary on air', o.onAirMs, () => this.media.status().source === 'primary');
  }

  /** Stops whatever `start` got to, even after it failed half way. */
  async stop() {
    await this.media?.stop();
    await this.picture?.stop();
    await this.video?.close();
    await this.audio?.close();
  }
}
