import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { freePort } from './free-port.js';

// A real S3 server for one test file: `s3rver` (npm, devDependency) in its own process, on a free loopback
// port, its objects in a temp dir. stop() kills it (S3 "down") keeping the data; start() brings it back on
// the same port; remove() stops it and deletes the dir (afterAll; safe after a failed start, safe twice).
// Credentials are s3rver's fixed test pair (S3RVER/S3RVER), given to the client as the hub would get them.

export interface S3Server {
  endpoint: string;
  bucket: string;
  dir: string;
  client(): S3Client;
  /** Kills the server (SIGKILL: as abrupt as a network cut); the data stays. */
  stop(): Promise<void>;
  /** Starts it again (same port, same data); a no-op while it runs. */
  start(): Promise<void>;
  remove(): Promise<void>;
}

/** How long s3rver may take to listen before start() fails with its output. */
const READY_MS = 60_000;

export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

// The child: s3rver's programmatic API; prints the address once it listens, then serves until killed — or
// until its stdin closes: a test process killed outright (no afterAll) takes its S3 server with it.
const CHILD = `
process.stdin.on('close', () => process.exit(0)).resume();
const S3rver = require(process.env.S3RVER_MAIN);
new S3rver({ address: '127.0.0.1', port: Number(process.env.S3RVER_PORT), directory: process.env.S3RVER_DIR,
  silent: true, configureBuckets: [{ name: process.env.S3RVER_BUCKET }] })
  .run().then((a) => process.stdout.write(JSON.stringify({ ready: true, port: a.port }) + '\\n'),
    (e) => { process.stderr.write(String(e && e.stack || e)); process.exit(1); });
`;

export async function startS3Server(bucket = 'archive-test'): Promise<S3Server> {
  const dir = mkdtempSync(join(tmpdir(), 's3rver-test-'));
  const port = await freePort();
  const main = createRequire(import.meta.url).resolve('s3rver');
  let child: ChildProcess | undefined;

  async function start() {
    if (child && child.exitCode === null && child.signalCode === null) return; // running already
    const proc = spawn(process.execPath, ['-e', CHILD], {
      env: { ...process.env, S3RVER_MAIN: main, S3RVER_PORT: String(port), S3RVER_DIR: dir, S3RVER_BUCKET: bucket },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    child = proc;
    let err = '';
    proc.stderr!.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-2000)));
    await new Promise<void>((resolve, reject) => {
      let out = '';
      // A wide ceiling (a busy 2-core CI box starts node + s3rver in a few seconds): past it, the server's own words.
      const deadline = setTimeout(() => {
        proc.kill('SIGKILL');
        reject(
          new Error(
            `s3rver did not listen on 127.0.0.1:${port} within ${READY_MS / 1000} s; stdout: ${out || '(none)'}; stderr: ${err || '(none)'}`,
          ),
        );
      }, READY_MS);
      const onData = (d: Buffer) => {
        out = (out + d.toString()).slice(-2000);
        if (out.includes('"ready":true')) clearTimeout(deadline), proc.stdout!.off('data', onData), resolve();
      };
      proc.stdout!.on('data', onData);
      proc.once('exit', (code, signal) => {
        clearTimeout(deadline);
        reject(new Error(`s3rver exited (${code ?? signal}) before listening: ${err || out || '(no output)'}`));
      });
    });
  }

  async function stop() {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const gone = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGKILL');
    await gone;
  }

  const endpoint = `http://127.0.0.1:${port}`;
  const server: S3Server = {
    endpoint,
    bucket,
    dir,
    client: () => new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: S3RVER_CREDENTIALS }),
    stop,
    start,
    async remove() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await start();
  } catch (err) {
    await server.remove();
    throw err;
  }
  return server;
}
