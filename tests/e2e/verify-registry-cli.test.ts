import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApplianceKey, keyFingerprint, publicKeyPemFromRaw, sha256Hex } from '../../common/evidence/index.js';
import { resignWithout } from '../../common/evidence/test/resign.js';
import { silentLogger } from '../../common/log.js';
import { createManifestFile } from '../../daemon/modules/evidence/manifest-file.js';
import { registryExport } from '../../hub/archive/registry-export.js';
import { openRegistry } from '../../hub/enrollment/registry.js';
import { CLI } from '../helpers/room-processes.js';

// `reception verify --registry` / `--key`: the hearing's open key must be the room's enrolled key at the
// hearing's time, from the hub-signed registry export (the hub's own registry and export code) or a key
// given. Issue 10: a manifest re-signed with a fresh key after dropping a segment was "INTACT".

const exec = promisify(execFile);
const verify = (...args: string[]) =>
  exec(process.execPath, [CLI, 'verify', ...args], { timeout: 15_000 }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
const T0 = Date.parse('2024-05-06T07:00:00.000Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();
const appliance = generateApplianceKey();
const hub = generateApplianceKey();
const hubB64 = hub.publicKeyRaw.toString('base64');
const root = mkdtempSync(join(tmpdir(), 'verify-registry-'));
const good = join(root, 'good', 'hearing-abc.room-a');
const file = (name: string, body: string) => (writeFileSync(join(root, name), body), join(root, name));
let exportFile = '';

async function record(dir: string, key = appliance, room = 'room-a') {
  mkdirSync(dir, { recursive: true });
  const m = createManifestFile(dir, key, { room, now: () => new Date(T0) });
  for (let i = 0; i < 3; i++) {
    const b = randomBytes(1500 + i);
    writeFileSync(join(dir, `seg-0000${i}.ts`), b);
    await m.append({
      kind: 'segment',
      file: `seg-0000${i}.ts`,
      sha256: sha256Hex(b),
      bytes: b.length,
      durationMs: 10_000,
      start: at(i * 10),
      end: at(i * 10 + 10),
    });
  }
  await m.append({ kind: 'close', end: at(30) });
}

/** The registry at the hub: room-a enrolled an hour before the hearing, re-enrolled (box replaced) after it; room-b revoked mid-hearing. */
async function hubRegistry() {
  let clock = new Date(T0 - 3600_000);
  const registry = await openRegistry({ logger: silentLogger(), now: () => clock });
  const pem = (k: typeof appliance) => publicKeyPemFromRaw(k.publicKeyRaw);
  await registry.enroll({ room: 'room-a', name: 'Phòng A', publicKeyPem: pem(appliance), by: 'technician:lan' });
  await registry.enroll({ room: 'room-b', name: 'Phòng B', publicKeyPem: pem(roomB), by: 'technician:lan' });
  clock = new Date(T0 + 15_000);
  await registry.revoke('room-b', 'technician:lan', 'box stolen');
  clock = new Date(T0 + 7200_000);
  await registry.enroll({ room: 'room-a', name: 'Phòng A', publicKeyPem: pem(generateApplianceKey()), by: 'technician:lan' });
  return registry;
}
const roomB = generateApplianceKey();

describe('reception verify against the registry', () => {
  beforeAll(async () => {
    await record(good);
    await record(join(root, 'b', 'hearing-abc.room-b'), roomB, 'room-b');
    exportFile = file('registry.json', JSON.stringify(registryExport(await hubRegistry(), hub.privateKeyPem)));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("the room's enrolled key at that time (the box replaced since): intact, saying whose key and from where", async () => {
    const r = await verify(good, '--registry', exportFile, '--hub-key', hubB64);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(`SHA-256 ${keyFingerprint(appliance.publicKeyRaw)}`);
    expect(r.stdout).toContain("khoá đã đăng ký của phòng / the room's enrolled key — hub-signed registry export");
    const j = JSON.parse((await verify(good, '--registry', exportFile, '--hub-key', hubB64, '--json')).stdout);
    expect(j.signingKey).toMatchObject({ confirmed: true, fingerprint: keyFingerprint(appliance.publicKeyRaw) });
  });

  it('re-signed with a fresh key after dropping a segment: exit 1 naming the key, by the registry and by --key PEM', async () => {
    const dir = join(root, 'forged', 'hearing-abc.room-a');
    cpSync(good, dir, { recursive: true });
    const forged = resignWithout(readFileSync(join(dir, 'manifest.jsonl'), 'utf8'), 'seg-00001.ts');
    writeFileSync(join(dir, 'manifest.jsonl'), forged.text);
    rmSync(join(dir, 'seg-00001.ts'));
    const fp = keyFingerprint(forged.key.publicKeyRaw);
    const r = await verify(dir, '--registry', exportFile, '--hub-key', hubB64);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`signing key ${fp} is not room "room-a"'s enrolled key at ${at(0)}`);
    expect(r.stderr).toContain('was never enrolled');
    expect(r.stdout).toContain(`khoá ký ${fp} không phải khoá đã đăng ký của phòng "room-a"`);
    const pemFile = file('room-a.pem', publicKeyPemFromRaw(appliance.publicKeyRaw));
    const k = await verify(dir, '--key', pemFile);
    expect(k.code).toBe(1);
    expect(k.stderr).toContain('open.publicKey is not the enrolled appliance key');
    expect((await verify(good, '--key', pemFile)).code).toBe(0);
    expect((await verify(good, '--key', appliance.publicKeyRaw.toString('base64'))).code).toBe(0);
  });

  it('no --registry and no --key: the chain alone proves nothing, exit 1', async () => {
    const r = await verify(good);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('not confirmed: give --registry FILE');
    expect(r.stdout).toContain('KHÔNG NGUYÊN VẸN / RESULT: NOT INTACT');
  });

  it('a key revoked while the hearing ran: exit 1 with when and why', async () => {
    const r = await verify(join(root, 'b', 'hearing-abc.room-b'), '--registry', exportFile, '--hub-key', hubB64);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`is not room "room-b"'s enrolled key at ${at(30)}`);
    expect(r.stderr).toContain(`revoked at ${at(15)}`);
  });

  it('an altered or foreign export, or none to check it with: exit 2', async () => {
    const doc = JSON.parse(readFileSync(exportFile, 'utf8'));
    const attacker = generateApplianceKey();
    doc.rooms[0].keys[0].publicKey = attacker.publicKeyRaw.toString('base64');
    const altered = await verify(good, '--registry', file('altered.json', JSON.stringify(doc)), '--hub-key', hubB64);
    expect(altered.code).toBe(2);
    expect(altered.stderr).toContain('signature does not verify with the hub key');
    const other = generateApplianceKey().publicKeyRaw.toString('base64');
    const foreign = await verify(good, '--registry', exportFile, '--hub-key', other);
    expect(foreign.code).toBe(2);
    expect(foreign.stderr).toContain('signed by another key');
    expect((await verify(good, '--registry', exportFile)).stderr).toContain("--registry needs the hub's key");
    expect((await verify(good, '--registry', exportFile, '--key', appliance.publicKeyRaw.toString('base64'))).code).toBe(2);
    expect((await verify(good, '--key', 'not-a-key')).code).toBe(2);
  });
});
