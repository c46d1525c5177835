import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/log.js';
import { buildHub } from '../create-hub.js';
import { enrollRooms } from '../test/hub-fixture.js';
import { openHearingFile } from './hearing-file.js';
import { createHearingStore } from './hearing-store.js';

// A restart is a new store on the same file: what the old one saved must come back as it was.

const roomIds = () => ['room-demo', 'room-2', 'room-3'];
const tmp = () => mkdtempSync(join(tmpdir(), 'hub-state-'));

async function openStore(file: string) {
  const f = await openHearingFile(file, silentLogger());
  return { file: f, store: createHearingStore({ roomIds, initial: f.hearings, persist: f.save }) };
}

describe('hearing store on disk', () => {
  it('keeps active hearings with their rooms and ended ones as history across a restart', async () => {
    const file = join(tmp(), 'nested', 'hearings.json');
    const first = await openStore(file);
    const a = first.store.create('Phiên A', ['room-demo', 'room-2']);
    const b = first.store.create('Phiên B', ['room-3']);
    first.store.removeRoom(a.id, 'room-2');
    first.store.end(b.id);
    await first.store.saved();
    expect(readdirSync(join(file, '..'))).toEqual(['hearings.json']); // the temp file was renamed over it

    const second = await openStore(file);
    expect(second.store.list()).toEqual(first.store.list());
    expect(second.store.activeOf('room-demo')?.id).toBe(a.id);
    expect(second.store.get(b.id)).toMatchObject({ state: 'ended', rooms: ['room-3'] });
    expect(second.store.activeOf('room-3')).toBeUndefined();
    // The restored hearing still blocks its room, and new ids do not collide with old ones.
    expect(() => second.store.create('Phiên C', ['room-demo'])).toThrow(/already in hearing/);
    const c = second.store.create('Phiên C', ['room-3']);
    expect([a.id, b.id]).not.toContain(c.id);
    await second.store.saved();
    expect((await openStore(file)).store.list().map((h) => h.id)).toEqual([a.id, b.id, c.id]);
  });

  it('serializes a burst of changes: the file ends with the last state', async () => {
    const file = join(tmp(), 'hearings.json');
    const { store } = await openStore(file);
    const ids = Array.from({ length: 20 }, (_, i) => store.create(`Phiên ${i}`, []).id);
    ids.forEach((id) => store.end(id));
    await store.saved();
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    expect(doc.version).toBe(1);
    expect(doc.hearings.map((h: { state: string }) => h.state)).toEqual(ids.map(() => 'ended'));
  });

  it.each([
    ['not JSON', '{"version":1,"hearings":[{"id":'],
    ['wrong shape', JSON.stringify({ version: 1, hearings: [{ id: 'x', state: 'paused' }] })],
    ['empty', ''],
  ])('moves a corrupt file (%s) aside and starts empty', async (_what, content) => {
    const dir = tmp();
    const file = join(dir, 'hearings.json');
    writeFileSync(file, content);
    const { file: f, store } = await openStore(file);
    expect(store.list()).toEqual([]);
    expect(f.corruptMovedTo).toMatch(/hearings\.json\.corrupt-\d{4}-/);
    expect(readFileSync(f.corruptMovedTo!, 'utf8')).toBe(content); // kept for whoever investigates
    expect(existsSync(file)).toBe(false);
    store.create('Phiên mới', ['room-demo']);
    await store.saved();
    expect((await openStore(file)).store.list()).toHaveLength(1);
  });

  it('a hub built on a state dir answers a change only once it is saved, and a second hub sees it', async () => {
    const stateDir = tmp();
    const deps = {
      host: '127.0.0.1',
      port: 0,
      publicUrl: '',
      tokens: [],
      allowLoopbackOfficers: true,
      stateDir,
      logger: silentLogger(),
    };
    const ice = { hostAddresses: ['127.0.0.1'], useIpv6: false, stunUrls: [], portMin: 0, portMax: 0 };
    const one = await buildHub({ ...deps, ice });
    await enrollRooms(one.enrollment, 2); // room-demo, room-2 (kept in <stateDir>/registry.json)
    const created = (
      await one.app.inject({ method: 'POST', url: '/api/v1/hearings', payload: { title: 'Phiên', rooms: ['room-2'] } })
    ).json();
    expect(JSON.parse(readFileSync(join(stateDir, 'hearings.json'), 'utf8')).hearings[0].id).toBe(created.id);
    await one.app.close();
    const two = await buildHub({ ...deps, ice });
    const rooms = (await two.app.inject({ method: 'GET', url: '/api/v1/rooms' })).json();
    expect(rooms.find((r: { id: string }) => r.id === 'room-2').hearing).toBe(created.id);
    await two.app.close();
  });
});
