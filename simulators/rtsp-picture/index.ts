// The simulated camera's RTSP picture: a gst-rtsp-server child process (server.py) serving
// H.264 720p30 + G.711 audio whose view follows pan/tilt/zoom. GStreamer stays out of Node's
// process; position and snapshot requests travel as JSON lines over the child's stdio.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { SCENE, clampView, viewCrop, type ViewPosition } from './view-geometry.js';

export type { ViewPosition } from './view-geometry.js';

export interface RtspPictureOptions {
  port: number;
  path?: string;
  name?: string;
  host?: string;
  /** H.264 profile sent (default constrained-baseline; IP cameras often send main or high). */
  profile?: 'constrained-baseline' | 'main' | 'high';
}

export interface RtspPicture {
  start(): Promise<void>;
  stop(): Promise<void>;
  health(): { state: 'running' | 'stopped' };
  readonly rtspUri: string;
  setView(position: ViewPosition): void;
  snapshot(): Promise<Buffer>;
  /** The next frame is an IDR (GstForceKeyUnit on the encoder): what the ONVIF sim's SetSynchronizationPoint does. */
  forceKeyframe(): void;
}

const PYTHON = '/usr/bin/python3'; // the system python has gi; a pyenv one on PATH may not
const READY_TIMEOUT_MS = 10_000;
const SNAPSHOT_TIMEOUT_MS = 3_000;

/** server.py beside this file; when running from dist/, the copy in the source tree. */
function serverScript(): string {
  const here = fileURLToPath(new URL('./server.py', import.meta.url));
  return existsSync(here) ? here : here.replace(/\/dist\//, '/');
}

export function createRtspPicture(opts: RtspPictureOptions): RtspPicture {
  const host = opts.host ?? '127.0.0.1';
  const path = (opts.path ?? 'stream').replace(/^\/+/, '');
  let view: ViewPosition = { pan: 0, tilt: 0, zoom: 0 };
  let child: ChildProcess | undefined;
  let ready = false;
  let starting: Promise<void> | undefined; // a second start() while one is under way waits for it
  let nextSnap = 1;
  const snaps = new Map<number, { resolve: (b: Buffer) => void; reject: (e: Error) => void }>();
  const killOnExit = () => child?.kill('SIGKILL'); // stdin EOF also ends it if we die harder

  const send = (msg: object) => child?.stdin?.write(JSON.stringify(msg) + '\n');
  const sendView = () => send({ ...view, crop: viewCrop(view) });

  function onLine(line: string): void {
    let msg: { snapshot?: number; jpeg?: string; error?: string };
    try {
      msg = JSON.parse(line);
    } catch {
      return; // not ours (a stray library print)
    }
    const waiter = msg.snapshot === undefined ? undefined : snaps.get(msg.snapshot);
    if (!waiter || msg.snapshot === undefined) return;
    snaps.delete(msg.snapshot);
    if (msg.jpeg) waiter.resolve(Buffer.from(msg.jpeg, 'base64'));
    else waiter.reject(new Error(`rtsp-picture snapshot failed: ${msg.error ?? 'unknown'}`));
  }

  function start(): Promise<void> {
    if (child && starting) return starting;
    const args = [serverScript(), '--port', String(opts.port), '--host', host, '--path', path];
    args.push(
      '--name',
      opts.name ?? 'PTZ-SIM',
      '--scene',
      `${SCENE.width}x${SCENE.height}`,
      '--profile',
      opts.profile ?? 'constrained-baseline',
    );
    const proc = spawn(PYTHON, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    child = proc;
    process.once('exit', killOnExit);
    let stderr = '';
    proc.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    proc.stdin?.on('error', () => {}); // child gone; 'exit' below reports it
    return (starting = new Promise<void>((resolve, reject) => {
      let settled = false;
      const fail = (why: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        void stop();
        reject(new Error(`rtsp-picture on ${host}:${opts.port} did not start: ${why}\n${stderr.trim()}`));
      };
      const timer = setTimeout(() => fail(`no ready line within ${READY_TIMEOUT_MS} ms`), READY_TIMEOUT_MS);
      proc.once('error', (e) => fail(`cannot run ${PYTHON}: ${e.message}`));
      proc.once('exit', (code, signal) => {
        if (child === proc) child = undefined;
        ready = false;
        process.off('exit', killOnExit);
        for (const w of snaps.values()) w.reject(new Error('rtsp-picture stopped'));
        snaps.clear();
        fail(`python exited (${signal ?? code})`);
      });
      createInterface({ input: proc.stdout! }).on('line', (line) => {
        if (settled || !line.includes('"ready"')) return onLine(line);
        settled = true;
        ready = true;
        clearTimeout(timer);
        resolve();
      });
      sendView(); // the first pipeline starts with the remembered position
    }));
  }

  async function stop(): Promise<void> {
    const proc = child;
    if (!proc) return;
    child = undefined;
    ready = false;
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill('SIGTERM');
    const hard = setTimeout(() => proc.kill('SIGKILL'), 2000);
    await gone;
    clearTimeout(hard);
  }

  return {
    start,
    stop,
    health: () => ({ state: child && ready ? 'running' : 'stopped' }),
    get rtspUri() {
      return `rtsp://${host}:${opts.port}/${path}`;
    },
    setView(position) {
      view = clampView(position);
      if (child) sendView();
    },
    forceKeyframe() {
      if (child && ready) send({ keyframe: true });
    },
    snapshot() {
      if (!child || !ready) return Promise.reject(new Error('rtsp-picture is stopped'));
      const id = nextSnap++;
      return new Promise<Buffer>((resolve, reject) => {
        const timer = setTimeout(() => {
          snaps.delete(id);
          reject(new Error(`rtsp-picture snapshot timed out after ${SNAPSHOT_TIMEOUT_MS} ms`));
        }, SNAPSHOT_TIMEOUT_MS);
        const done =
          <T>(f: (v: T) => void) =>
          (v: T) => (clearTimeout(timer), f(v));
        snaps.set(id, { resolve: done(resolve), reject: done(reject) });
        send({ snapshot: id });
      });
    },
  };
}
