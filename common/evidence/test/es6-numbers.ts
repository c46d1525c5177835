import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

// The number sequence of cyberphone/json-canonicalization's es6testfile (algorithm described in its
// testdata/README.md; see rfc8785/README.md): 168 fixed edge cases, 2000 consecutive subnormal-to-normal
// values from 0x0010000000000000, then doubles read from a SHA-256 chain (block = SHA-256(previous
// block), starting from 32 zero bytes; each block gives four little-endian doubles; zeros, infinities
// and NaNs are skipped). Written here from that description.

const bits = new DataView(new ArrayBuffer(8));
export const fromBits = (u: bigint) => (bits.setBigUint64(0, u), bits.getFloat64(0));
export const toBits = (f: number) => (bits.setFloat64(0, f), bits.getBigUint64(0));

export function* es6TestDoubles(): Generator<number> {
  const fixed = readFileSync(new URL('./rfc8785/es6-static-u64.txt', import.meta.url), 'utf8')
    .split('\n')
    .filter(Boolean);
  for (const hex of fixed) yield fromBits(BigInt(`0x${hex}`));
  for (let i = 0n; i < 2000n; i++) yield fromBits(0x0010000000000000n + i);
  let block = Buffer.alloc(32);
  for (;;) {
    block = createHash('sha256').update(block).digest();
    for (let at = 0; at < 32; at += 8) {
      const f = block.readDoubleLE(at);
      if (f !== 0 && Number.isFinite(f)) yield f;
    }
  }
}

/** SHA-256 of the first `lines` lines `<ieee hex>,<serialized>\n`, as the README's table lists them. */
export function es6TestFileHash(lines: number, serialize: (f: number) => string): string {
  const h = createHash('sha256');
  let n = 0;
  for (const f of es6TestDoubles()) {
    if (n++ === lines) break;
    h.update(`${toBits(f).toString(16)},${serialize(f)}\n`);
  }
  return h.digest('hex');
}
