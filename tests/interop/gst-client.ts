import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { until } from '../helpers/until.js';

// The GStreamer webrtcbin WHIP publisher / WHEP viewer (Python gi, /usr/bin/python3: Debian's gi and GstWebRTC)
// as a child process: its JSON lines collected, waited on, stopped with a "stop" line (it DELETEs its session).

const HERE = dirname(fileURLToPath(import.meta.url));
export const PYTHON = process.env.INTEROP_PYTHON ?? '/usr/bin/python3';

export type GstEvent = { event: string } & Record<string, unknown>;

export interface GstClient {
  child: ChildProcess;
  events: GstEvent[];
  stderr: () => string;
  /** The first event (from the start) that matches; waits for it up to `timeoutMs`. */
  waitFor(match: (e: GstEvent) => unknown, what: string, timeoutMs?: number): Promise<GstEvent>;
  stop(): Promise<number | null>;
}

export interface WebrtcbinOptions {
  url: string;
  token?: string;
  bundlePolicy?: 'max-bundle' | 'balanced';
  trickle?: boolean;
}

export const startWebrtcbinPublisher = (opts: WebrtcbinOptions) => startClient('webrtcbin_publish.py', opts);
export const startWebrtcbinViewer = (opts: WebrtcbinOptions) => startClient('webrtcbin_view.py', opts);
/** GStreamer decoders for RTP another client receives (werift has none): H.264 and Opus on loopback UDP. */
export const startRtpDecoder = (ports: { videoPort: number; audioPort: number }) => startClient('rtp_decode.py', ports);

function startClient(script: string, opts: object): GstClient {
  const child = spawn(PYTHON, [join(HERE, script), JSON.stringify(opts)], { stdio: ['pipe', 'pipe', 'pipe'], cwd: HERE });
  const events: GstEvent[] = [];
  let err = '';
  let buf = '';
  child.stdout!.on('data', (d: Buffer) => {
    buf += String(d);
    for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
      const line = buf.slice(0, i).trim();
      buf = buf.slice(i + 1);
      if (line.startsWith('{')) events.push({ ...(JSON.parse(line) as GstEvent), at: performance.now() }); // at: when it arrived here
    }
  });
  child.stderr!.on('data', (d: Buffer) => {
    err = (err + String(d)).slice(-4000);
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return {
    child,
    events,
    stderr: () => err,
    waitFor: (match, what, timeoutMs = 30_000) =>
      until(
        () => `${script}: ${what} (exit ${child.exitCode}, last event ${JSON.stringify(events.at(-1))}, stderr: ${err.slice(-600)})`,
        timeoutMs,
        () => {
          if (child.exitCode !== null && !events.some(match)) throw new Error(`${script} exited ${child.exitCode}: ${err.slice(-600)}`);
          return events.find(match);
        },
        100,
      ),
    async stop() {
      if (child.exitCode === null) child.stdin!.end('stop\n');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
