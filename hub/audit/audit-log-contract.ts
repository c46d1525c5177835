import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENESIS, verifyChain } from './audit-chain.js';
import type { HubAuditLog } from './audit-log.js';

// One behaviour for every audit backend (files: audit-log-file.test.ts, PostgreSQL: audit-log-pg.test.ts).
// `backend()` is an empty log's place; `open()` a hub (re)starting on it; `dropSecond()` an attacker
// removing the second entry of the current segment behind the hub's back.

export interface AuditBackend {
  open(): Promise<HubAuditLog>;
  dropSecond(): Promise<void>;
  remove(): Promise<void>;
}

const entry = (action: string, actor = 'token:ops') => ({ actor, action, outcome: 'ok' as const, target: 'h-1', ip: '10.0.0.5' });
/** The entries as the chain's lines: re-serialized, they must hash as they were written. */
const chainOf = (e: object[]) => e.map((x) => `${JSON.stringify(x)}\n`).join('');

export function describeAuditLogContract(name: string, backend: () => Promise<AuditBackend>) {
  describe(`audit log contract: ${name}`, () => {
    let b: AuditBackend;
    beforeAll(async () => {
      b = await backend();
    });
    afterAll(() => b?.remove());

    it('chains entries, filters them, keeps call order under a burst, and continues the chain after a restart', async () => {
      const log = await b.open();
      await log.append(entry('hearing.create'));
      await log.append({ ...entry('book.read', 'supervisor1'), outcome: 'refused', reason: 'needs supervisor' });
      await Promise.all(Array.from({ length: 30 }, (_, i) => log.append(entry(`burst.${i}`))));
      const all = await log.entries({ limit: 1000 });
      expect(all.map((e) => e.seq)).toEqual(Array.from({ length: 32 }, (_, i) => i + 1));
      expect(all[0]).toMatchObject({ prev: GENESIS, actor: 'token:ops', action: 'hearing.create', target: 'h-1', ip: '10.0.0.5' });
      expect(all.slice(2).map((e) => e.action)).toEqual(Array.from({ length: 30 }, (_, i) => `burst.${i}`));
      expect(verifyChain(chainOf(all))).toMatchObject({ ok: true, count: 32 });
      expect((await log.entries({ actor: 'supervisor1' })).map((e) => e.reason)).toEqual(['needs supervisor']);
      expect((await log.entries({ action: 'hearing.create' })).map((e) => e.seq)).toEqual([1]);
      expect((await log.entries({ afterSeq: 30 })).map((e) => e.seq)).toEqual([31, 32]);
      expect((await log.entries({ limit: 2 })).map((e) => e.seq)).toEqual([31, 32]);
      await log.close();
      const again = await b.open();
      expect(again.broken).toBeUndefined();
      await again.append(entry('hearing.end'));
      const after = await again.entries({ limit: 1000 });
      expect(after.at(-1)).toMatchObject({ seq: 33, action: 'hearing.end' });
      expect(verifyChain(chainOf(after))).toMatchObject({ ok: true, count: 33 });
      await again.close();
    });

    it('an entry removed behind its back: at start the break is found, kept, and a new segment names it', async () => {
      await b.dropSecond();
      const log = await b.open();
      expect(log.broken).toMatchObject({ line: 2, reason: expect.stringContaining('prev does not match') });
      const [first] = await log.entries();
      expect(first).toMatchObject({ seq: 1, prev: GENESIS, actor: 'hub', action: 'audit.segment' });
      expect(first!.reason).toContain('broken at line 2');
      await log.append(entry('after.break'));
      expect(verifyChain(chainOf(await log.entries()))).toMatchObject({ ok: true, count: 2 });
      await log.close();
      expect((await b.open()).broken).toBeUndefined(); // the new segment is whole
    });
  });
}
