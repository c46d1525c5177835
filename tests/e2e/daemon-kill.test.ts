import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseManifest, publicKeyRawFromPem, type GapEntry, type SegmentEntry } from '../../common/evidence/index.js';
import { spawnReady, type ReadyChild } from '../../common/process/spawn-ready.js';
import { lockHolders } from '../../common/storage/writer-lock.js';
import { startHubProcess, startLinkedRoom } from '../helpers/hub-process.js';
import { CLI, json } from '../helpers/room-processes.js';
import { mediaWorkersOf } from '../helpers/room-writers.js';
import { until } from '../helpers/until.js';

// Issue 8's fault, with real processes: a hearing records, the media worker is frozen (SIGSTOP: none
// of its threads can run, as if stuck in native GStreamer code), the daemon is killed with -9 and
// started again as systemd would. One writer, one RTP sender, sealed segments unchanged, the chain and
// the archive verifying, the hole entered as a gap with its reason.

const exec = promisify(execFile);
const verify = (args: string[]) =>
  exec(process.execPath, [CLI, 'verify', ...args], { timeout: 60_000 }).then(
    (r) => ({ code: 0, out: r.stdout + r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
  );
const manifestOf = (dir: string) => parseManifest(readFileSync(join(dir, 'manifest.jsonl'), 'utf8')).entries;

describe('e2e: kill -9 of the daemon while it records', () => {
  let hub: Awaited<ReturnType<typeof startHubProcess>>;
  let room: Awaited<ReturnType<typeof startLinkedRoom>>;
  let daemon: ReadyChild<{ url: string }> | undefined;
  const recordings = () => join(room.dir, 'sim', 'recordings');

  beforeAll(async () => {
    hub = await startHubProcess(1);
    room = await startLinkedRoom(hub, 1, { picture: true });
  });
  afterAll(async () => {
    await daemon?.stop('SIGINT');
    await room?.stop();
    await hub?.stop();
  });

  it('leaves one writer, unchanged sealed segments and a verifying chain and archive', async () => {
    const hearing = (
      await json(`${hub.url}/api/v1/hearings`, { method: 'POST', body: JSON.stringify({ title: 'Phiên thử sự cố', rooms: ['room-demo'] }) })
    ).body.id as string;
    const id = `${hearing}.room-demo`;
    const dir = join(recordings(), id);
    await until('3 segments recorded', 90_000, async () => (await json(`${room.api}/api/v1/recording`)).body.segments >= 3);
    const oldDaemon = room.daemon.child.pid!;
    const oldWorker = (await json(`${room.api}/api/v1/media/status`)).body.workerPid as number;
    expect(mediaWorkersOf(recordings())).toEqual([{ pid: oldWorker, ppid: oldDaemon }]);

    process.kill(oldWorker, 'SIGSTOP'); // frozen: it cannot see its daemon go
    const sealed = new Map(
      manifestOf(dir)
        .filter((e): e is SegmentEntry => e.kind === 'segment')
        .map((e) => [e.file, e.sha256]),
    );
    const killedAt = Date.now();
    await room.daemon.stop('SIGKILL');
    await until('the old worker gone', 30_000, () => !mediaWorkersOf(recordings()).some((w) => w.pid === oldWorker));
    console.info(`old worker gone ${Date.now() - killedAt} ms after kill -9 of its daemon`);

    daemon = await spawnReady(process.execPath, [CLI, 'daemon', '--config', room.configFile], {
      logFile: join(room.dir, 'daemon-2.log'),
      env: room.env,
      timeoutMs: 60_000,
    });
    const api = daemon.ready.url;
    const before = (await json(`${api}/api/v1/recording`)).body.segments as number;
    await until('3 more segments', 90_000, async () => {
      const r = (await json(`${api}/api/v1/recording`)).body;
      return r.state === 'recording' && r.segments >= before + 3;
    });
    const workers = mediaWorkersOf(recordings());
    expect(workers).toEqual([{ pid: expect.any(Number), ppid: daemon.child.pid }]); // one RTP sender, the new daemon's
    expect(
      lockHolders(join(recordings(), '.writer.lock'))
        .map((h) => Number(h.split(' ')[1]))
        .sort(),
    ).toEqual([daemon.child.pid, workers[0].pid].sort());

    expect((await json(`${hub.url}/api/v1/hearings/${hearing}/end`, { method: 'POST', body: '{}' })).status).toBe(200);
    await until('recording closed', 60_000, async () => (await json(`${api}/api/v1/recording`)).body.state === 'idle');
    await until('everything forwarded', 120_000, async () => (await json(`${api}/api/v1/health`)).body.uploader.backlogFiles === 0);

    const entries = manifestOf(dir);
    for (const [file, sha] of sealed)
      expect(
        entries.find((e) => e.kind === 'segment' && e.file === file),
        file,
      ).toMatchObject({ sha256: sha });
    const key = publicKeyRawFromPem(readFileSync(join(room.env.RECEPTION_STATE_DIR, 'keys', 'appliance-ed25519.pem'), 'utf8')).toString(
      'base64',
    );
    const local = await verify([dir, '--key', key]);
    expect(local.code, local.out).toBe(0); // the files on disk still match every sealed entry
    const archived = join(hub.stateDir, 'archive', id);
    const remote = await verify([archived, '--key', key]);
    expect(remote.code, remote.out).toBe(0);
    expect(manifestOf(archived).at(-1)?.kind).toBe('close');
    const segs = (d: string) =>
      readdirSync(d)
        .filter((f) => /^seg-\d+\.ts$/.test(f))
        .sort();
    expect(segs(archived)).toEqual(segs(dir));
    const gaps = entries.filter(
      (e): e is GapEntry => e.kind === 'gap' && Date.parse(e.start) <= killedAt + 2000 && Date.parse(e.end) >= killedAt,
    );
    expect(gaps.map((g) => g.reason)).toContain('recorder-stopped');
    console.info(`gap over the kill: ${gaps.map((g) => `${g.reason} ${Date.parse(g.end) - Date.parse(g.start)} ms`).join(', ')}`);
  }, 420_000);
});
