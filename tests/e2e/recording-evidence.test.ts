import { execFile } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseManifest, publicKeyRawFromPem } from '../../common/evidence/index.js';
import { startHubProcess, startLinkedRoom } from '../helpers/hub-process.js';
import { CLI, json } from '../helpers/room-processes.js';

const exec = promisify(execFile);
const run = (args: string[]) =>
  exec(process.execPath, [CLI, 'verify', ...args], { timeout: 60_000 }).then(
    (r) => ({ code: 0, out: r.stdout + r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
  );
/** `reception verify DIR --key K`: K is the room's appliance key (the key it enrolled). */
const verify = (dir: string, key: string) => run([dir, '--key', key]);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// A 60-second hearing as evidence, with real processes: the hub is killed for 30 s in the middle and
// the media worker is killed with -9 during that outage. The room records throughout, its backlog
// drains when the hub returns, and `reception verify` passes on the archive and reports the gap.
describe('e2e: recording survives a 30 s hub outage and a worker kill; the archive verifies', () => {
  let hub: Awaited<ReturnType<typeof startHubProcess>>;
  let room: Awaited<ReturnType<typeof startLinkedRoom>>;
  let hearing: string;
  let recordingId: string;
  const t: Record<string, number> = {};
  const roomKey = () =>
    publicKeyRawFromPem(readFileSync(join(room.env.RECEPTION_STATE_DIR, 'keys', 'appliance-ed25519.pem'), 'utf8')).toString('base64');

  beforeAll(async () => {
    hub = await startHubProcess(1);
    room = await startLinkedRoom(hub, 1, { picture: true });
  });
  afterAll(async () => {
    await room?.stop();
    await hub?.stop();
  });

  it('records a 60 s hearing through the outage and the archive holds all of it', async () => {
    hearing = (
      await json(`${hub.url}/api/v1/hearings`, { method: 'POST', body: JSON.stringify({ title: 'Phiên ghi hình', rooms: ['room-demo'] }) })
    ).body.id;
    t.start = Date.now();
    recordingId = `${hearing}.room-demo`;
    await expect
      .poll(async () => (await json(`${room.api}/api/v1/recording`)).body.state, { timeout: 20_000, interval: 250 })
      .toBe('recording');
    // The officer fills in the reception book of a denunciation: the citizen's identity is confidential.
    const book = await json(`${room.api}/api/v1/hearings/${recordingId}/book`, {
      method: 'PUT',
      body: JSON.stringify({
        receivedAt: new Date().toISOString(),
        officer: { name: 'Trần Văn Bình', unit: 'Ban Tiếp công dân tỉnh' },
        citizen: { fullName: 'Nguyễn Thị Mật', address: '12 Đường Hoa Sữa, Phường Bí Mật', idNumber: '079123456789' },
        classification: 'denunciation',
        summary: 'Tố cáo hành vi nhận hối lộ',
        handling: 'Chuyển Thanh tra tỉnh',
        participants: { rooms: ['room-demo'], officers: ['Trần Văn Bình'] },
      }),
    });
    expect(book.status).toBeLessThan(300);
    await sleep(15_000 - (Date.now() - t.start));

    await hub.stop('SIGKILL'); // the central point is gone
    t.hubDown = Date.now();
    await sleep(10_000);
    const pid = (await json(`${room.api}/api/v1/media/status`)).body.workerPid as number;
    process.kill(pid, 'SIGKILL');
    t.workerKilled = Date.now();
    await sleep(5_000);
    const backlog = (await json(`${room.api}/api/v1/health`)).body.uploader;
    expect(backlog.backlogFiles).toBeGreaterThan(5); // recording goes on without the network
    await sleep(30_000 - (Date.now() - t.hubDown));

    hub = await startHubProcess(1, { port: hub.port, stateDir: hub.stateDir });
    await sleep(60_000 - (Date.now() - t.start));
    expect((await json(`${hub.url}/api/v1/hearings/${hearing}/end`, { method: 'POST', body: '{}' })).status).toBe(200);
    t.end = Date.now();
    await expect.poll(async () => (await json(`${room.api}/api/v1/recording`)).body.state, { timeout: 20_000, interval: 250 }).toBe('idle');
    await expect
      .poll(async () => (await json(`${room.api}/api/v1/health`)).body.uploader.backlogFiles, { timeout: 90_000, interval: 1000 })
      .toBe(0);
  }, 240_000);

  it('the archive matches the room: every segment, the gap, total duration; reception verify passes', async () => {
    const local = join(room.dir, 'sim', 'recordings', recordingId);
    const archived = join(hub.stateDir, 'archive', recordingId);
    const segs = (dir: string) =>
      readdirSync(dir)
        .filter((f) => /^seg-\d+\.ts$/.test(f))
        .sort();
    expect(segs(archived)).toEqual(segs(local));
    const { entries } = parseManifest(readFileSync(join(archived, 'manifest.jsonl'), 'utf8'));
    const segments = entries.filter((e) => e.kind === 'segment') as { durationMs: number }[];
    const gaps = entries.filter((e) => e.kind === 'gap') as { reason: string; start: string; end: string }[];
    expect(segments.length).toBe(segs(archived).length);
    expect(entries.at(-1)?.kind).toBe('close');
    const restart = gaps.filter((g) => g.reason === 'worker-restart');
    expect(restart.length).toBe(1);
    const lostMs = Date.parse(restart[0].end) - Date.parse(restart[0].start);
    // The target is ≤ 2 s (826 ms here on a quiet box; bench/kill-loss.ts measures 10 trials); a loaded
    // CI box takes longer to start the new worker, so the test allows 3 s and prints the figure.
    expect(lostMs).toBeLessThanOrEqual(3000);
    const mediaMs = segments.reduce((s, e) => s + e.durationMs, 0);
    const hearingMs = t.end - t.start;
    // Everything but the worker restart is there (±3 s for hearing start/stop detection).
    expect(Math.abs(hearingMs - lostMs - mediaMs)).toBeLessThan(3000);
    const v = await verify(archived, roomKey());
    expect(v.code, v.out).toBe(0);
    expect(v.out).toMatch(/worker-restart/);
    // Offline, as an archivist would years later: the hub-signed registry export and the hub key, no --key.
    const exportFile = join(hub.stateDir, 'registry-export.json');
    writeFileSync(exportFile, JSON.stringify((await json(`${hub.url}/api/v1/registry/export`)).body));
    const hubKey = (await json(`${hub.url}/api/v1/archive/key`)).body.publicKey as string;
    const byRegistry = await run([archived, '--registry', exportFile, '--hub-key', hubKey]);
    expect(byRegistry.code, byRegistry.out).toBe(0);
    expect(byRegistry.out).toContain("khoá đã đăng ký của phòng / the room's enrolled key — hub-signed registry export");
    console.info(`hearing ${hearingMs} ms, ${segments.length} segments, ${mediaMs} ms of media, worker restart lost ${lostMs} ms`);
  }, 60_000);

  it('the console player gets each archived segment as MP4 (browsers do not play MPEG-TS): H.264 + Opus, no re-encode', async () => {
    const first = readdirSync(join(hub.stateDir, 'archive', recordingId))
      .filter((f) => /^seg-\d+\.ts$/.test(f))
      .sort()[1];
    const res = await fetch(`${hub.url}/api/v1/archive/hearings/${encodeURIComponent(recordingId)}/files/${first}?format=mp4`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('video/mp4');
    const out = join(hub.stateDir, 'played.mp4');
    writeFileSync(out, Buffer.from(await res.arrayBuffer()));
    const probe = await promisify(execFile)('ffprobe', [
      '-v',
      'error',
      '-show_entries',
      'format=format_name:stream=codec_name',
      '-of',
      'csv=p=0',
      out,
    ]);
    expect(probe.stdout).toMatch(/h264/);
    expect(probe.stdout).toMatch(/opus/);
    expect(probe.stdout).toMatch(/mp4/);
  });

  it('the denunciation record in the stored files does not reveal the citizen', async () => {
    for (const dir of [join(room.dir, 'sim', 'recordings', recordingId), join(hub.stateDir, 'archive', recordingId)]) {
      const stored = readFileSync(join(dir, 'book.json'), 'utf8');
      for (const secret of ['Nguyễn Thị Mật', '079123456789', 'Hoa Sữa']) expect(stored).not.toContain(secret);
      expect(stored).toContain('Tố cáo hành vi nhận hối lộ'); // the summary is not secret
    }
  });

  it('flipping one byte of one archived segment makes reception verify fail, naming it', async () => {
    const archived = join(hub.stateDir, 'archive', recordingId);
    const victim = readdirSync(archived)
      .filter((f) => /^seg-\d+\.ts$/.test(f))
      .sort()[3];
    const bytes = readFileSync(join(archived, victim));
    bytes[Math.floor(bytes.length / 2)] ^= 0x01;
    writeFileSync(join(archived, victim), bytes);
    const v = await verify(archived, roomKey());
    expect(v.code).toBe(1);
    expect(v.out).toContain(victim);
  }, 60_000);
});
