import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, afterEach } from 'vitest';
import { connect } from 'node:net';
import { once } from 'node:events';
import { join } from 'node:path';
import { sha256Hex } from '../../../../common/evidence/index.js';
import { silentLogger } from '../../../../common/log.js';
import { OFFICER, roomTokenAt, tmp } from '../../../../hub/archive/test/fake-hearing.js';
import { createEventBus, type AlarmEvent, type UploaderEvent } from '../../events/event-bus.js';
import { createUploader, type UploaderDeps } from '../create-uploader.js';

// Shared by the uploader tests: an uploader with its bus (alarms and backlog events collected), the
// room's receipts, the archive's list, and raw PATCHes to the hub as another party would send them.

export function startUploader(hubUrl: string, recordings: string, stateDir: string, extra: Partial<UploaderDeps> = {}) {
  const bus = createEventBus();
  const alarms: AlarmEvent[] = [];
  const events: UploaderEvent[] = [];
  bus.on('alarm', (a) => alarms.push(a));
  bus.on('uploader', (e) => events.push(e));
  const u = createUploader({
    recordings,
    stateDir,
    hubUrl,
    secret: roomTokenAt(hubUrl), // room-demo's enrolled token at that hub (startArchiveHub enrolls it)
    chunkBytes: 4 * 1048576,
    maxBackoffMs: 300,
    manifestIntervalMs: 0,
    rescanMs: 60_000,
    bus,
    logger: silentLogger(),
    ...extra,
  });
  return { u, bus, alarms, events };
}

/** Call at the top of a test file: `dir(prefix)` makes a temp dir, removed after the file's tests; `cleanups` run after each test, last first. */
export function testDirs() {
  const dirs: string[] = [];
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  const dir = (prefix: string) => {
    const d = tmp(prefix);
    dirs.push(d);
    return d;
  };
  return { dir, cleanups };
}

/** The hub key pinned already: the first connection is the upload itself. */
export function pinHubKey(stateDir: string, publicKey: string) {
  mkdirSync(join(stateDir, 'keys'), { recursive: true });
  writeFileSync(join(stateDir, 'keys', 'hub-public.key'), publicKey);
}

// Complete lines only: the uploader may be appending the next receipt while the test polls.
export const receiptsOf = (dir: string) =>
  existsSync(join(dir, 'receipts.jsonl'))
    ? readFileSync(join(dir, 'receipts.jsonl'), 'utf8')
        .split('\n')
        .slice(0, -1)
        .map((l) => JSON.parse(l) as { file: string; sha256: string })
    : [];

export const archived = async (url: string) =>
  (await (await fetch(`${url}/api/v1/archive/hearings`, { headers: { authorization: `Bearer ${OFFICER}` } })).json()) as {
    hearing: string;
    state: string;
    reasons: string[];
  }[];

const patchHeaders = (data: Buffer, hubUrl: string) => ({
  authorization: `Bearer ${roomTokenAt(hubUrl)}`,
  'content-type': 'application/offset+octet-stream',
  'upload-offset': '0',
  'upload-length': String(data.length),
  'upload-sha256': sha256Hex(data),
});

/** Archives `data` under `hearing/file` at the hub, as the room would have done earlier. */
export async function archiveAtHub(hubUrl: string, hearing: string, file: string, data: Buffer) {
  const res = await fetch(`${hubUrl}/api/v1/archive/hearings/${hearing}/files/${file}`, {
    method: 'PATCH',
    headers: patchHeaders(data, hubUrl),
    body: new Uint8Array(data),
  });
  if (res.status !== 200) throw new Error(`hub answered ${res.status} ${await res.text()}`);
}

/**
 * A PATCH of the whole file of which only the first `sent` bytes go out, the connection held open: an
 * upload on a slow link that the hub is still receiving (it answers UPLOAD_BUSY to any other PATCH of
 * that file). `release()` breaks it; the hub keeps what arrived.
 */
export async function holdPatch(hubUrl: string, hearing: string, file: string, data: Buffer, sent: number) {
  const { hostname, port } = new URL(hubUrl);
  const sock = connect(Number(port), hostname);
  sock.on('error', () => {});
  await once(sock, 'connect');
  const head = [
    `PATCH /api/v1/archive/hearings/${hearing}/files/${file} HTTP/1.1`,
    `host: ${hostname}:${port}`,
    `content-length: ${data.length}`,
    ...Object.entries(patchHeaders(data, hubUrl)).map(([k, v]) => `${k}: ${v}`),
  ];
  sock.write(head.join('\r\n') + '\r\n\r\n');
  sock.write(data.subarray(0, sent));
  return { release: () => void sock.destroy() };
}

/** What HEAD says the hub holds of a file. */
export async function hubOffset(hubUrl: string, hearing: string, file: string): Promise<number> {
  const res = await fetch(`${hubUrl}/api/v1/archive/hearings/${hearing}/files/${file}`, {
    method: 'HEAD',
    headers: { authorization: `Bearer ${roomTokenAt(hubUrl)}` },
  });
  return Number(res.headers.get('upload-offset') ?? 0);
}
