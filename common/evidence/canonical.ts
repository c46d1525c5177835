import { createHash } from 'node:crypto';

// Canonical JSON = RFC 8785, the JSON Canonicalization Scheme (JCS), see docs/EVIDENCE.md: no
// whitespace; object keys sorted recursively by UTF-16 code units (JS's default sort); strings as
// ECMAScript's JSON.stringify writes them (\b \t \n \f \r, other controls as lowercase \u00xx, \" and
// \\, everything else as is); numbers as ECMAScript's Number::toString (what JSON.stringify writes,
// -0 as 0). Like RFC 8785 it refuses NaN/Infinity and lone surrogates instead of writing something
// another implementation would not reproduce. Checked against the RFC's samples and cyberphone's test
// data in canonical.test.ts. Outside JCS (it is defined on JSON data only): `undefined` object members
// are left out and `undefined` array items written as null, as JSON.stringify does; functions, symbols
// and bigints throw. Hashes and signatures are computed over this text, so the room, the hub and
// `reception verify` must produce the same bytes.

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function jsonString(s: string): string {
  // RFC 8785 §3.2.2.2: lone surrogates MUST make the canonicalizer fail (JSON.stringify would escape them).
  if (LONE_SURROGATE.test(s)) throw new TypeError(`canonicalJson: lone surrogate in string ${JSON.stringify(s)}`);
  return JSON.stringify(s);
}

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'string') return jsonString(value);
  if (typeof value === 'number') {
    // JSON.stringify would quietly turn these into null; evidence must not change meaning silently.
    if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: non-finite number ${value}`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj)
      .filter((k) => obj[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${jsonString(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
  }
  throw new TypeError(`canonicalJson: cannot encode ${typeof value}`);
}

export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256')
    .update(typeof data === 'string' ? Buffer.from(data, 'utf8') : data)
    .digest('hex');
}
