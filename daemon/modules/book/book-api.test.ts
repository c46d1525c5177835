import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBook, parseManifest, sha256Hex, verifyChain, type BookEntry, type StoredBook } from '../../../common/evidence/index.js';
import { rfcKey, sampleBook } from '../../../common/evidence/test/chain-fixture.js';
import { silentLogger } from '../../../common/log.js';
import { SimDsp } from '../../drivers/dsp/sim-dsp.js';
import { hashToken } from '../access/access.js';
import { buildApi } from '../api/create-api.js';
import { createAuditLog } from '../audit/audit-log.js';
import { assembleDevices } from '../devices/create-devices.js';
import { createEventBus } from '../events/event-bus.js';
import { createBookStore } from './book-store.js';
import { createManifestFile, createManifestWriter } from '../evidence/manifest-file.js';

const TOKENS = { officer: 'o-secret', technician: 't-secret', monitor: 'm-secret' } as const;
const REMOTE = { remoteAddress: '10.1.2.3' };
const as = (role: keyof typeof TOKENS) => ({ authorization: `Bearer ${TOKENS[role]}` });
const { updatedAt: _u, ...input } = sampleBook();

describe('reception book API', async () => {
  const root = mkdtempSync(join(tmpdir(), 'book-'));
  const recordingsDir = join(root, 'recordings');
  const auditFile = join(root, 'audit.jsonl');
  const bookKey = randomBytes(32);
  const audit = createAuditLog(auditFile);
  const auditText = async () => (await audit.recent(1000), readFileSync(auditFile, 'utf8')); // waits for pending writes
  const manifest = createManifestWriter({ recordingsDir, key: rfcKey, room: 'room-a' });
  const book = createBookStore({ recordingsDir, bookKey: () => bookKey, manifest, logger: silentLogger() });
  const devices = assembleDevices([], new SimDsp({ channels: [], meterRateMs: 100 }), [], createEventBus(), silentLogger());
  const app = await buildApi({
    host: '127.0.0.1',
    port: 0,
    room: { id: 'room-a', name: 'A' },
    version: 'test',
    logger: silentLogger(),
    bus: createEventBus(),
    devices,
    book,
    access: {
      loopbackRole: 'none',
      tokens: Object.entries(TOKENS).map(([role, t]) => ({ name: `${role}-user`, role: role as 'officer', sha256: hashToken(t) })),
    },
    audit,
  });
  beforeAll(() => app.ready());
  afterAll(() => app.close());
  const put = (hearing: string, body: unknown, role: keyof typeof TOKENS = 'officer') =>
    app.inject({ method: 'PUT', url: `/api/v1/hearings/${hearing}/book`, payload: body as object, headers: as(role), ...REMOTE });
  const get = (hearing: string, role: keyof typeof TOKENS) =>
    app.inject({ method: 'GET', url: `/api/v1/hearings/${hearing}/book`, headers: as(role), ...REMOTE });

  it('officer writes; book.json is sealed and anchored in the manifest; the audit log has no identity', async () => {
    const r = await put('h-1', input);
    expect(r.statusCode, r.body).toBe(200);
    const bytes = readFileSync(join(recordingsDir, 'h-1', 'book.json'));
    expect(r.json()).toMatchObject({ ok: true, sha256: sha256Hex(bytes) });
    for (const secret of ['Nguyễn Văn Tố', '001088012345', 'Đường Láng']) expect(bytes.toString()).not.toContain(secret);
    expect(openBook(JSON.parse(bytes.toString()) as StoredBook, bookKey)).toMatchObject({ citizen: input.citizen });
    const { entries } = parseManifest(readFileSync(join(recordingsDir, 'h-1', 'manifest.jsonl'), 'utf8'));
    expect(verifyChain(entries).ok).toBe(true);
    expect(entries.at(-1) as BookEntry).toMatchObject({ kind: 'book', file: 'book.json', sha256: sha256Hex(bytes) });
    const text = await auditText();
    expect(text).toContain('book.write');
    expect(text).not.toContain('001088012345');
  });

  it('officer and technician read the identity; monitor gets it redacted', async () => {
    for (const role of ['officer', 'technician'] as const)
      expect((await get('h-1', role)).json()).toMatchObject({ citizen: input.citizen, summary: input.summary });
    const m = await get('h-1', 'monitor');
    expect(m.statusCode).toBe(200);
    expect(m.json()).toMatchObject({ citizen: null, redacted: true, classification: 'denunciation' });
    expect(m.body).not.toContain('001088012345');
  });

  it('an update appends a new book entry that matches the new file', async () => {
    expect((await put('h-1', { ...input, classification: 'complaint', handling: 'Hướng dẫn gửi đơn' })).statusCode).toBe(200);
    const bytes = readFileSync(join(recordingsDir, 'h-1', 'book.json'));
    expect(bytes.toString()).toContain('001088012345'); // complaints are kept in clear
    const books = parseManifest(readFileSync(join(recordingsDir, 'h-1', 'manifest.jsonl'), 'utf8')).entries.filter(
      (e) => e.kind === 'book',
    );
    expect(books).toHaveLength(2);
    expect((books[1] as BookEntry).sha256).toBe(sha256Hex(bytes));
  });

  it('400 names the field; monitor may not write; unknown hearing 404; closed hearing 409; audit on failure has no identity', async () => {
    const bad = await put('h-1', { ...input, classification: 'rumour' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toMatch(/classification/);
    const missing = await put('h-1', { ...input, citizen: { fullName: 'Nguyễn Văn Tố', address: 'x' } });
    expect(missing.json()).toMatchObject({ statusCode: 400, field: 'body.citizen.idNumber' });
    expect((await put('h-1', { ...input, receivedAt: '2024-13-45T00:00:00Z' })).json()).toMatchObject({
      statusCode: 400,
      field: 'body.receivedAt',
    });
    expect((await put('.hidden', input)).json()).toMatchObject({ statusCode: 400, field: 'params.hearing' });
    expect((await put('h-1', input, 'monitor')).statusCode).toBe(403);
    expect((await get('nope', 'officer')).statusCode).toBe(404);
    await createManifestFile(join(recordingsDir, 'h-1'), rfcKey()).append({ kind: 'close', end: new Date().toISOString() });
    const closed = await put('h-1', input);
    expect(closed.statusCode).toBe(409);
    expect(await auditText()).toContain('"status":400');
    expect(await auditText()).not.toContain('Nguyễn Văn Tố');
  });
});
