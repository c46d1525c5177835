import { describe, expect, it } from 'vitest';
import { parseManifest, serializeEntry, verifyChain } from '../../common/evidence/index.js';
import { chainOf, iso, segment } from '../../common/evidence/test/chain-fixture.js';

// A manifest line is evidence byte for byte: exactly the canonical JSON (RFC 8785) of its entry, one
// value per key, no field named after an Object.prototype member. Anything else is refused by
// parseManifest (the hub's archive and `reception verify` read manifests through it), with the line.

const lines = () => chainOf([segment(0), { kind: 'close', end: iso(10_000) }]).map(serializeEntry);
const parse = (ls: string[]) => parseManifest(ls.join(''));

describe('manifest lines an attacker could shape', () => {
  it('the writer’s own lines parse and verify', () => {
    const { entries, errors } = parse(lines());
    expect(errors).toEqual([]);
    expect(verifyChain(entries).ok).toBe(true);
  });

  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])('refuses a field named %s', (name) => {
    const ls = lines();
    ls[1] = ls[1]!.replace('{', `{${JSON.stringify(name)}:{"file":"x"},`);
    expect(parse(ls).errors).toEqual([{ line: 2, message: expect.stringContaining(name) }]);
  });

  it('refuses a duplicate key, even when the last value (the one JSON.parse keeps) is the signed one', () => {
    const ls = lines();
    ls[1] = ls[1]!.replace('{', '{"file":"other.mkv","bytes":1,');
    expect(verifyChain(ls.map((l) => JSON.parse(l))).ok).toBe(true); // the chain alone cannot see it
    expect(parse(ls).errors).toEqual([{ line: 2, message: expect.stringMatching(/duplicate key "bytes"/) }]);
    const escaped = lines();
    escaped[2] = escaped[2]!.replace('{', '{"\\u006bind":"segment",'); // the same key, spelt with an escape
    expect(parse(escaped).errors).toEqual([{ line: 3, message: expect.stringMatching(/duplicate key "kind"/) }]);
  });

  it('refuses a line that is not exactly the canonical JSON of its entry', () => {
    const variants: ((l: string) => string)[] = [
      (l) => l.replace(',', ', '), // whitespace
      (l) => l.replace('"v":1', '"v":1.0'), // number spelling
      (l) => l.replace('"kind":"segment"', '"kind":"s\\u0065gment"'), // string escape
      (l) => `${JSON.stringify(JSON.parse(l), Object.keys(JSON.parse(l)).reverse())}\n`, // key order
    ];
    for (const [i, change] of variants.entries()) {
      const ls = lines();
      ls[1] = change(ls[1]!);
      expect(ls[1], `variant ${i}`).not.toBe(lines()[1]);
      expect(verifyChain(ls.map((l) => JSON.parse(l))).ok, `variant ${i}`).toBe(true); // same entry, same hash
      expect(parse(ls).errors, `variant ${i}`).toEqual([{ line: 2, message: expect.stringMatching(/not the canonical JSON/) }]);
    }
  });
});
