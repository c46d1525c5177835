import { describe, expect, it } from 'vitest';
import type { EntryBody, OpenEntry } from './index.js';
import { keyCheckTimes, keyWindowAt } from './key-binding.js';
import { chainOf, iso, segment } from './test/chain-fixture.js';

// A hearing's key is checked at its open and at its end. The room's clock signs both; NTP may step it back
// in the middle of a hearing (the chaos run's clock-back-5min did: the end read 5 min before the open).
const close = (endMs: number): EntryBody => ({ kind: 'close', end: iso(endMs) }) as EntryBody;

describe('keyCheckTimes', () => {
  it('open and end when the clock ran forward', () => {
    const chain = chainOf([segment(0), close(10_000)]);
    expect(keyCheckTimes(chain[0] as OpenEntry, chain.at(-1)!)).toEqual([iso(0), iso(10_000)]);
  });

  it('a clock stepped back 5 min inside the hearing: the end is taken as no earlier than the open', () => {
    const chain = chainOf([segment(0), close(-300_000)]);
    const times = keyCheckTimes(chain[0] as OpenEntry, chain.at(-1)!);
    expect(times).toEqual([iso(0), iso(0)]);
    // a key enrolled 1 min before the hearing: valid at both (before the fix the end, 4 min before its enrolment, was refused)
    const window = { validFrom: iso(-60_000) };
    expect(times.map((t) => keyWindowAt(window, new Date(t)).ok)).toEqual([true, true]);
  });

  it('a key revoked while the hearing ran is still refused at the end', () => {
    const chain = chainOf([segment(0), close(20_000)]);
    const [, end] = keyCheckTimes(chain[0] as OpenEntry, chain.at(-1)!);
    expect(keyWindowAt({ validFrom: iso(-60_000), revokedAt: iso(5_000) }, new Date(end!))).toMatchObject({ ok: false });
  });

  it('without a close, the last entry’s time is the end', () => {
    const chain = chainOf([segment(0), segment(1)]);
    expect(keyCheckTimes(chain[0] as OpenEntry, chain.at(-1)!)).toEqual([iso(0), chain.at(-1)!.at]);
  });
});
