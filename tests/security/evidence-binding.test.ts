import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyFingerprint, sha256Hex, verifyRegistryExport } from '../../common/evidence/index.js';
import { resignWithout } from '../../common/evidence/test/resign.js';
import { type FakeHearing, OFFICER, ONLY_OFFICER, startArchiveHub, tmp } from '../../hub/archive/test/fake-hearing.js';

// Issue 10, "evidence keys are self-certified" and "first uploader owns a hearing", tried as an attacker
// against the real hub (in-process, over HTTP): a room re-signs its manifest with a fresh key after
// dropping a segment; a room writes another room's recording, or one of a hearing it never joined.

let hub: Awaited<ReturnType<typeof startArchiveHub>>;
const hubDir = tmp('evidence-binding-hub-');
const rec = tmp('evidence-binding-');
const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
const api = () => `${hub.url}/api/v1`;
const room = async (id: string) => bearer((await hub.box(id)).token);

async function upload(h: FakeHearing, headers: Record<string, string>) {
  for (const s of h.segments) {
    const res = await fetch(`${api()}/archive/hearings/${h.hearing}/files/${s.file}`, {
      method: 'PATCH',
      headers: {
        ...headers,
        'content-type': 'application/offset+octet-stream',
        'upload-offset': '0',
        'upload-length': String(s.bytes.length),
        'upload-sha256': sha256Hex(s.bytes),
      },
      body: new Uint8Array(s.bytes),
    });
    if (res.status !== 200) return res;
  }
  return putManifest(h.hearing, readFileSync(join(rec, h.hearing, 'manifest.jsonl'), 'utf8'), headers);
}
const putManifest = (hearing: string, body: string, headers: Record<string, string>) =>
  fetch(`${api()}/archive/hearings/${hearing}/manifest`, {
    method: 'PUT',
    headers: { ...headers, 'content-type': 'application/octet-stream' },
    body,
  });
const archived = async (hearing: string) =>
  (await (await fetch(`${api()}/archive/hearings/${hearing}`, { headers: bearer(OFFICER) })).json()) as {
    state: string;
    reasons: string[];
    keyFingerprint?: string;
  };

beforeAll(async () => {
  hub = await startArchiveHub(hubDir);
});
afterAll(() => hub?.stop());

describe('evidence bound to the registry', () => {
  it('a manifest re-signed with a fresh key after dropping a segment: archived as failed, naming the key', async () => {
    const honest = await (await hub.recording(rec)).open();
    for (let i = 0; i < 3; i++) await honest.segment(2000);
    await honest.close();
    expect((await upload(honest, await room('room-demo'))).status).toBe(200);
    const ok = await archived(honest.hearing);
    expect(ok).toMatchObject({ state: 'verified', keyFingerprint: keyFingerprint(honest.key.publicKeyRaw) });

    // The attack: a fresh recording of another hearing, a segment dropped, the chain re-signed by a new key.
    const victim = await (await hub.recording(rec)).open();
    for (let i = 0; i < 3; i++) await victim.segment(2000);
    await victim.close();
    const forged = resignWithout(victim.manifestText(), victim.segments[1]!.file);
    victim.segments.splice(1, 1);
    const put = await upload(victim, await room('room-demo'));
    expect(put.status).toBe(200); // the chain is valid by itself: kept, but not evidence
    expect((await putManifest(victim.hearing, forged.text, await room('room-demo'))).status).toBe(409); // no rewrite of the archived one either
    const fresh = await (await hub.recording(rec, 'room-demo', { key: forged.key })).open();
    await fresh.segment(2000);
    await fresh.close();
    expect((await upload(fresh, await room('room-demo'))).status).toBe(200);
    const v = await archived(fresh.hearing);
    const fp = keyFingerprint(forged.key.publicKeyRaw);
    expect(v.state).toBe('failed');
    expect(v.keyFingerprint).toBe(fp);
    expect(v.reasons[0]).toContain(`signing key ${fp} is not room "room-demo"'s enrolled key`);
    expect(v.reasons[0]).toContain('was never enrolled');
    expect(v.reasons[0]).toContain(`khoá ký ${fp} không phải khoá đã đăng ký của phòng "room-demo"`);
    const list = (await (await fetch(`${api()}/archive/hearings`, { headers: bearer(OFFICER) })).json()) as {
      hearing: string;
      state: string;
    }[];
    expect(list.find((x) => x.hearing === fresh.hearing)?.state).toBe('failed');
    expect(list.find((x) => x.hearing === honest.hearing)?.state).toBe('verified');
  });

  it("a key revoked after the hearing keeps the hearing verified; the revoked box's token is refused", async () => {
    const before = await (await hub.recording(rec, 'room-3')).open();
    await before.segment(1000, 1); // over before the revocation (10 s segments would run the fake clock ahead)
    await before.close();
    expect((await upload(before, await room('room-3'))).status).toBe(200);
    const token = await room('room-3');
    const later = hub.hubHearing(['room-3']); // joined before the revocation (a revoked room joins no hearing: 409)
    await hub.registry.revoke('room-3', 'technician:test', 'box replaced');
    expect((await archived(before.hearing)).state).toBe('verified');
    // a recording the stolen box signs after the revocation: its token is dead, and its key would not count
    const after = await (await hub.recording(rec, 'room-3', { hearing: later })).open();
    await after.segment(1000);
    expect((await upload(after, token)).status).toBe(401);
  });

  it("another room's recording of the same hearing: 403, whoever comes first", async () => {
    const hearing = hub.hubHearing(['room-demo', 'room-2']);
    const mine = await (await hub.recording(rec, 'room-demo', { hearing })).open();
    await mine.segment(1000);
    // room-2 took part in the hearing, but "<hearing>.room-demo" is room-demo's: it may not take it first
    const res = await upload(mine, await room('room-2'));
    expect(res.status).toBe(403);
    expect(((await res.json()) as { message: string }).message).toContain(`room "room-2" may write only "${hearing}.room-2"`);
    const headRes = await fetch(`${api()}/archive/hearings/${mine.hearing}/files/seg-00000.mkv`, {
      method: 'HEAD',
      headers: await room('room-2'),
    });
    expect(headRes.status).toBe(403);
    expect((await upload(mine, await room('room-demo'))).status).toBe(200); // its owner still can
  });

  it('a hearing the room never joined, a guessed one, an id without a room: 403', async () => {
    const hearing = hub.hubHearing(['room-demo']);
    const intruder = await (await hub.recording(rec, 'room-2', { hearing })).open();
    await intruder.segment(1000);
    const res = await upload(intruder, await room('room-2'));
    expect(res.status).toBe(403);
    expect(((await res.json()) as { message: string }).message).toBe(`room "room-2" did not take part in hub hearing "${hearing}"`);
    const guessed = await (await hub.recording(rec, 'room-2', { hearing: 'hearing-aaaaaaaaaaaaaaaaaaaa' })).open();
    await guessed.segment(1000);
    expect((await upload(guessed, await room('room-2'))).status).toBe(403);
    const bare = await putManifest('h1', guessed.manifestText(), await room('room-2'));
    expect(bare.status).toBe(403);
  });

  it('the registry export: archivist or technician only; signed by the hub key; names every key and its window', async () => {
    expect((await fetch(`${api()}/registry/export`)).status).toBe(401);
    const denied = await fetch(`${api()}/registry/export`, { headers: bearer(ONLY_OFFICER) });
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as { message: string }).message).toMatch(/technician|archivist/);
    expect((await fetch(`${api()}/registry/export`, { headers: await room('room-demo') })).status).toBe(403);
    const res = await fetch(`${api()}/registry/export`, { headers: bearer(OFFICER) });
    expect(res.status).toBe(200);
    const doc = await res.json();
    const hubKey = Buffer.from(((await (await fetch(`${api()}/archive/key`)).json()) as { publicKey: string }).publicKey, 'base64');
    const v = verifyRegistryExport(doc, hubKey);
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    const audit = readFileSync(join(hubDir, 'audit.jsonl'), 'utf8'); // written before the answer;
    expect(audit).toContain('"actor":"token:officer","action":"registry.export","outcome":"ok"');
    expect(audit).toContain('"actor":"token:only-officer","action":"refused","target":"GET /api/v1/registry/export"');
    const r3 = v.doc.rooms.find((r) => r.id === 'room-3')!;
    expect(r3.keys[0]).toMatchObject({ publicKey: (await hub.box('room-3')).key.publicKeyRaw.toString('base64'), reason: 'box replaced' });
    expect(r3.keys[0]!.revokedAt).toBeTruthy();
  });
});
