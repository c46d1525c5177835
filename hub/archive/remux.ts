import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';

// Browsers do not play MPEG-TS in <video>: copy the streams (H.264 + Opus) into fragmented MP4 on
// the fly for the console's player (no re-encoding, so it costs little CPU). Downloads stay byte-exact.
// The input format is named (`-f mpegts`): ffmpeg never guesses it from the bytes, so an uploaded file
// that is really a playlist, a concat list or another container is not opened as one (local files, URLs).
// At most `max` ffmpeg run at once (`archive.maxRemux`); past it `start` answers undefined (the route: 503).

export function createRemuxer(max: number) {
  let running = 0;
  return {
    running: () => running,
    /**
     * The fragmented MP4 stream, or undefined when `max` remuxes are running already. `input`: a local file, or
     * (S3 archive) a function opening the stored file's stream, fed to ffmpeg's stdin: MPEG-TS is read front to
     * back (no index to seek to), so no temp copy is needed and the remux starts with the first bytes.
     */
    start(input: string | (() => Readable), log: FastifyBaseLogger): Readable | undefined {
      if (running >= max) return undefined;
      running++;
      const path = typeof input === 'string' ? input : 'pipe:0';
      const ff = spawn(
        'ffmpeg',
        [
          '-v',
          'error',
          '-nostdin',
          '-f',
          'mpegts',
          '-i',
          path,
          '-map',
          '0',
          '-c',
          'copy',
          '-f',
          'mp4',
          '-movflags',
          'frag_keyframe+empty_moov+default_base_moof',
          'pipe:1',
        ],
        { stdio: [typeof input === 'string' ? 'ignore' : 'pipe', 'pipe', 'pipe'] as ['pipe', 'pipe', 'pipe'] },
      );
      if (typeof input !== 'string') {
        const src = input();
        ff.stdin!.on('error', () => {}); // EPIPE once ffmpeg is gone; its exit says what happened
        src.on('error', (e) => {
          log.warn({ err: e.message }, 'archive: remux input failed');
          ff.kill('SIGKILL');
        });
        ff.on('close', () => src.destroy());
        src.pipe(ff.stdin!);
      }
      let released = false;
      const release = () => {
        if (!released) (released = true), running--;
      };
      let err = '';
      ff.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-2000)));
      ff.on('close', (code) => {
        release();
        if (code) log.warn({ path, code, err }, 'archive: remux failed');
      });
      ff.on('error', (e) => {
        release();
        log.warn({ err: e, path }, 'archive: ffmpeg not available for remux');
      });
      ff.stdout.on('close', () => ff.kill('SIGKILL')); // a client that goes away stops ffmpeg
      return ff.stdout;
    },
  };
}
export type Remuxer = ReturnType<typeof createRemuxer>;
