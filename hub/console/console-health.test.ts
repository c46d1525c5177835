import { describe, expect, it } from 'vitest';
// @ts-expect-error plain browser JS module, no types
import { healthLines } from './console-health.js';

// The officers' plain words for a room's report (pure part of the console; the page itself is tested
// in Chromium by hub/fleet/console-fleet.test.ts).

const report = (uploader: object) => ({
  stale: false,
  devices: [],
  uploader: { state: 'idle', backlogFiles: 2, backlogBytes: 5_000_000, oldestAgeS: 9, ...uploader },
});

describe('console health lines: uploads the archive refused', () => {
  it("names each refused file with the archive's code, apart from the backlog", () => {
    const lines = healthLines(
      report({
        refusedFiles: 2,
        refused: [
          { file: 'h1/seg-00078.ts', code: 'ALREADY_ARCHIVED', message: 'already archived' },
          { file: 'h1/manifest.jsonl', code: 'MANIFEST_INVALID', message: 'entry 39' },
        ],
      }),
    ) as [string, string][];
    expect(lines).toContainEqual([
      'h-bad',
      '2 tệp bị kho lưu trữ từ chối / 2 files refused by the archive: h1/seg-00078.ts (ALREADY_ARCHIVED), h1/manifest.jsonl (MANIFEST_INVALID)',
    ]);
  });

  it('says nothing of refusals when there are none (or the room is older and does not report them)', () => {
    for (const up of [{ refusedFiles: 0, refused: [] }, {}])
      expect((healthLines(report(up)) as [string, string][]).some(([, t]) => /từ chối|refused/.test(t))).toBe(false);
  });
});

describe('console health lines: kiosk PIN lockout', () => {
  it('a locked kiosk is a red line with the lockout number; an earlier lockout a warning; none, nothing', () => {
    const at = (kiosk: object) =>
      (healthLines({ stale: false, devices: [], kiosk }) as [string, string][]).filter(([, t]) => /PIN/.test(t));
    const locked = at({ locked: true, lockedUntil: '2026-01-01T10:00:00.000Z', lockouts: 3, failures: 0 });
    expect(locked).toHaveLength(1);
    expect(locked[0]![0]).toBe('h-bad');
    expect(locked[0]![1]).toMatch(
      /^Màn hình cảm ứng bị khóa do nhập sai mã PIN \(lần khóa thứ 3, đến .+\) \/ Kiosk locked after wrong PINs \(lockout 3/,
    );
    expect(at({ locked: false, lockedUntil: null, lockouts: 2, failures: 1 })).toEqual([
      ['h-warn', 'Mã PIN bị nhập sai, đã khóa 2 lần / Wrong kiosk PINs: locked out 2 times'],
    ]);
    expect(at({ locked: false, lockedUntil: null, lockouts: 0, failures: 2 })).toEqual([]);
  });
});
