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
