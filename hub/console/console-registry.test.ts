import { describe, expect, it } from 'vitest';
// @ts-expect-error plain browser JS module, no types
import { keyLine, registryRows } from './console-registry.js';

// The registry section's words (pure part; the page runs it in the browser).

const key = (k: object) => ({
  fingerprint: 'b32e8aa62b6a316a53a53747c7811f5c',
  enrolledAt: '2026-12-02T17:10:04Z',
  enrolledBy: 'cli:tech',
  validFrom: '2026-12-02T17:10:04Z',
  ...k,
});

describe('console registry', () => {
  it('says revoked in both languages, newest key first, with who revoked it and why; only an active room can be revoked', () => {
    const rows = registryRows([
      {
        id: 'room-a',
        name: 'Phòng A',
        state: 'revoked',
        keys: [
          key({ validTo: '2026-12-03T08:00:00Z' }),
          key({ fingerprint: 'ffff0000ffff0000ffff', revokedAt: '2026-12-04T09:30:00Z', revokedBy: 'tech2', reason: 'mất thiết bị' }),
        ],
      },
      { id: 'room-b', name: 'Phòng B', state: 'active', keys: [key({})] },
    ]);
    expect(rows[0]).toMatchObject({ words: 'Đã thu hồi / Revoked', revocable: false });
    expect(rows[0].keys[0]).toBe(
      'ffff0000ffff0000… 2026-12-02 17:10 → 2026-12-04 09:30 (thu hồi bởi / revoked by tech2: mất thiết bị) · cli:tech',
    );
    expect(rows[0].keys[1]).toContain('(đã thay / replaced)');
    expect(rows[1]).toMatchObject({ words: 'Đã ghi danh / Enrolled', revocable: true });
    expect(keyLine(key({}))).toContain('→ nay / now');
  });
});
