import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical.js';
import { chainOf, segment } from './test/chain-fixture.js';
import { es6TestFileHash, fromBits } from './test/es6-numbers.js';
import { verifyChain } from './verify-chain.js';

// canonicalJson is RFC 8785 (JCS). Vectors: the RFC's own examples (§3.2.2–3.2.4, Appendix B) and
// cyberphone/json-canonicalization's test data; provenance in test/rfc8785/README.md.
const vector = (dir: 'input' | 'output', name: string) =>
  readFileSync(new URL(`./test/rfc8785/${dir}/${name}.json`, import.meta.url), 'utf8');
const hex = (s: string) =>
  Buffer.from(s, 'utf8')
    .toString('hex')
    .replace(/(..)(?!$)/g, '$1 ');

describe('RFC 8785 examples', () => {
  const parsed = JSON.parse(
    '{\n  "numbers": [333333333.33333329, 1E30, 4.50,\n              2e-3, 0.000000000000000000000000001],\n' +
      '  "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",\n  "literals": [null, true, false]\n}',
  );

  it('§3.2.3: the §3.2.2 sample, properties sorted', () => {
    expect(canonicalJson(parsed)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('§3.2.4: and its UTF-8 bytes', () => {
    expect(hex(canonicalJson(parsed))).toBe(
      '7b 22 6c 69 74 65 72 61 6c 73 22 3a 5b 6e 75 6c 6c 2c 74 72 75 65 2c 66 61 6c 73 65 5d 2c 22 6e 75 6d 62 65 72 73 22 3a ' +
        '5b 33 33 33 33 33 33 33 33 33 2e 33 33 33 33 33 33 33 2c 31 65 2b 33 30 2c 34 2e 35 2c 30 2e 30 30 32 2c 31 65 2d 32 37 ' +
        '5d 2c 22 73 74 72 69 6e 67 22 3a 22 e2 82 ac 24 5c 75 30 30 30 66 5c 6e 41 27 42 5c 22 5c 5c 5c 5c 5c 22 2f 22 7d',
    );
  });

  it('§3.2.3: property names sorted by UTF-16 code units, not code points or locale', () => {
    const sample = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    // (read off the text: JSON.parse would put the integer-like name "1" first again)
    expect([...canonicalJson(sample).matchAll(/":"([^"]*)"/g)].map((m) => m[1])).toEqual([
      'Carriage Return',
      'One',
      'Control',
      'Latin Small Letter O With Diaeresis',
      'Euro Sign',
      'Emoji: Grinning Face',
      'Hebrew Letter Dalet With Dagesh',
    ]);
  });

  it('Appendix B: number serialization samples', () => {
    const table: [string, string][] = [
      ['0000000000000000', '0'],
      ['8000000000000000', '0'],
      ['0000000000000001', '5e-324'],
      ['8000000000000001', '-5e-324'],
      ['7fefffffffffffff', '1.7976931348623157e+308'],
      ['ffefffffffffffff', '-1.7976931348623157e+308'],
      ['4340000000000000', '9007199254740992'],
      ['c340000000000000', '-9007199254740992'],
      ['4430000000000000', '295147905179352830000'],
      ['44b52d02c7e14af5', '9.999999999999997e+22'],
      ['44b52d02c7e14af6', '1e+23'],
      ['44b52d02c7e14af7', '1.0000000000000001e+23'],
      ['444b1ae4d6e2ef4e', '999999999999999700000'],
      ['444b1ae4d6e2ef4f', '999999999999999900000'],
      ['444b1ae4d6e2ef50', '1e+21'],
      ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
      ['3eb0c6f7a0b5ed8d', '0.000001'],
      ['41b3de4355555553', '333333333.3333332'],
      ['41b3de4355555554', '333333333.33333325'],
      ['41b3de4355555555', '333333333.3333333'],
      ['41b3de4355555556', '333333333.3333334'],
      ['41b3de4355555557', '333333333.33333343'],
      ['becbf647612f3696', '-0.0000033333333333333333'],
      ['43143ff3c1cb0959', '1424953923781206.2'],
    ];
    for (const [ieee, json] of table) expect(canonicalJson(fromBits(BigInt(`0x${ieee}`))), ieee).toBe(json);
    // NaN and Infinity have no JSON form: a compliant implementation MUST fail.
    expect(() => canonicalJson(fromBits(0x7fffffffffffffffn))).toThrow(/non-finite/);
    expect(() => canonicalJson(fromBits(0x7ff0000000000000n))).toThrow(/non-finite/);
  });

  it('§3.2.2.2: lone surrogates make it fail, in values and in names; pairs are fine', () => {
    expect(() => canonicalJson('\udead')).toThrow(/lone surrogate/);
    expect(() => canonicalJson({ a: ['x\ud83d'] })).toThrow(/lone surrogate/);
    expect(() => canonicalJson({ '\ude00y': 1 })).toThrow(/lone surrogate/);
    expect(canonicalJson('\ud83d\ude00')).toBe('"😀"');
  });
});

describe('cyberphone/json-canonicalization test data', () => {
  it.each(['arrays', 'french', 'structures', 'unicode', 'values', 'weird'])('%s.json', (name) => {
    expect(canonicalJson(JSON.parse(vector('input', name)))).toBe(vector('output', name));
  });

  it('ES6 number serialization: first 100 000 lines of es6testfile100m hash as published', () => {
    expect(es6TestFileHash(1000, canonicalJson)).toBe('be18b62b6f69cdab33a7e0dae0d9cfa869fda80ddc712221570f9f40a5878687');
    expect(es6TestFileHash(100_000, canonicalJson)).toBe('22776e6d4b49fa294a0d0f349268e5c28808fe7e0cb2bcbe28f63894e494d4c7');
  });
});

describe('manifest verification and non-canonical input', () => {
  it('an entry whose text cannot be canonicalized is named, not thrown', () => {
    const chain = chainOf([segment(0)]);
    const tampered = [chain[0], { ...chain[1], hearing: 'h1' }, { ...chain[1], seq: 2, hearing: '\ud800' }] as typeof chain;
    expect(verifyChain(tampered).firstBad).toMatchObject({ seq: 2 });
    const lone = [{ ...chain[0], room: 'room-\udc00' }] as typeof chain;
    expect(verifyChain(lone).firstBad).toMatchObject({ seq: 0, reason: expect.stringMatching(/RFC 8785.*lone surrogate/) });
  });
});
