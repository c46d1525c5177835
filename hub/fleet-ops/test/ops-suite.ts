import { describe, expect, it } from 'vitest';
import { REDACTED } from '../../../common/config/redact-config.js';
import type { OpsStore } from '../ops-store.js';

// The remote operations' contract, run against both backends (ops-store.test.ts: memory + fleet-ops.json;
// ops-store-pg.test.ts: PostgreSQL). `place()` is a fresh, empty location; `open` opens a store on it
// (again: a restarted hub, or another node).

export interface OpsPlace {
  open(now: () => number): Promise<OpsStore>;
}

export function describeOpsStoreContract(backend: string, place: () => Promise<OpsPlace>) {
  describe(`remote operations contract (${backend})`, () => {
    it('an operation is handed over with every report until the room answers; its result is applied once', async () => {
      let t = Date.parse('2026-03-01T08:00:00Z');
      const p = await place();
      const ops = await p.open(() => t);
      const config = { cameras: [{ id: 'cam1', password: 'mat-khau-camera' }] };
      const asked = await ops.create('room-a', { kind: 'config', config, mode: 'merge' }, 'token:kỹ thuật');
      const restart = await ops.create('room-a', { kind: 'restart' }, 'tech');
      expect(asked).toMatchObject({ room: 'room-a', kind: 'config', state: 'pending', by: 'token:kỹ thuật', handedOverAt: null });
      expect(JSON.stringify(asked)).not.toContain('mat-khau-camera'); // the view is redacted…
      expect(JSON.stringify(asked)).toContain(REDACTED);
      expect(await ops.exchange('room-b')).toEqual([]);
      t += 1000;
      const handed = await ops.exchange('room-a');
      expect(handed).toEqual([
        { id: asked.id, kind: 'config', mode: 'merge', config }, // …the room gets the config itself
        { id: restart.id, kind: 'restart' },
      ]);
      expect(await ops.get('room-a', asked.id)).toMatchObject({ state: 'handed-over', handedOverAt: new Date(t).toISOString() });
      const result = { id: asked.id, state: 'applied' as const, at: new Date(t).toISOString() };
      expect((await ops.exchange('room-a', [result])).map((o) => o.id)).toEqual([restart.id]);
      await ops.exchange('room-a', [{ ...result, state: 'failed', reason: 'late repeat' }]); // done: ignored
      const again = await p.open(() => t);
      expect(await again.get('room-a', asked.id)).toMatchObject({ state: 'applied', doneAt: result.at, reason: null });
      expect((await again.list('room-a')).map((o) => o.id)).toEqual([restart.id, asked.id]); // newest first
      expect(await again.get('room-b', asked.id)).toBeUndefined();
    });

    it('a diagnostics bundle is taken for its open operation only, and kept with its hash', async () => {
      const p = await place();
      const ops = await p.open(() => Date.parse('2026-03-01T08:00:00Z'));
      const diag = await ops.create('room-a', { kind: 'diagnostics' }, 'tech');
      const other = await ops.create('room-a', { kind: 'restart' }, 'tech');
      const bytes = Buffer.from('tar.gz bytes');
      expect(await ops.putBundle('room-b', diag.id, bytes)).toBe(false);
      expect(await ops.putBundle('room-a', other.id, bytes)).toBe(false);
      expect(await ops.putBundle('room-a', diag.id, bytes)).toBe(true);
      await ops.saved();
      const again = await p.open(() => Date.now());
      expect((await again.get('room-a', diag.id))?.bundle).toMatchObject({
        bytes: bytes.length,
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      expect(await again.bundle(diag.id)).toEqual(bytes);
      expect(await again.bundle(other.id)).toBeUndefined();
    });
  });
}
