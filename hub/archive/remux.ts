import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';

// Browsers do not play MPEG-TS in <video>: copy the streams (H.264 + Opus) into fragmented MP4 on
// the fly for the console's player (no re-encoding, so it costs little CPU). Downloads stay byte-exact.

export function remuxToFmp4(path: string, log: FastifyBaseLogger): Readable {
  const ff = spawn(
    'ffmpeg',
    [
      '-v',
      'error',
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
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let err = '';
  ff.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-2000)));
  ff.on('close', (code) => code && log.warn({ path, code, err }, 'archive: remux failed'));
  ff.on('error', (e) => log.warn({ err: e, path }, 'archive: ffmpeg not available for remux'));
  ff.stdout.on('close', () => ff.kill('SIGKILL')); // a client that goes away stops ffmpeg
  return ff.stdout;
}
