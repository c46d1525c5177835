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
    /** The fragmented MP4 stream, or undefined when `max` remuxes are running already. */
    start(path: string, log: FastifyBaseLogger): Readable | undefined {
      if (running >= max) return undefined;
      running++;
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
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
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
