// TTP values look like JSON without commas: `"key":-3.000000 "list":["a" "b"] {"deviceId":0 "classCode":0}`.
// A tiny recursive-descent reader, because JSON.parse cannot read space-separated members.

export type TtpValue = number | boolean | string | null | TtpValue[] | { [key: string]: TtpValue };

interface Cursor {
  s: string;
  i: number;
}

const skipSpace = (c: Cursor) => {
  while (c.i < c.s.length && c.s[c.i] === ' ') c.i++;
};

function readString(c: Cursor): string {
  let out = '';
  c.i++; // opening quote
  while (c.i < c.s.length && c.s[c.i] !== '"') {
    if (c.s[c.i] === '\\' && c.i + 1 < c.s.length) c.i++;
    out += c.s[c.i++];
  }
  if (c.s[c.i] !== '"') throw new Error(`unterminated string at ${c.i}`);
  c.i++;
  return out;
}

function readBare(c: Cursor): TtpValue {
  const start = c.i;
  while (c.i < c.s.length && !' ]}'.includes(c.s[c.i])) c.i++;
  const word = c.s.slice(start, c.i);
  if (word === '') throw new Error(`value expected at ${start}`);
  if (word === 'true' || word === 'false') return word === 'true';
  if (word === 'null') return null;
  const n = Number(word);
  // Enumerations (e.g. BUTTERWORTH, MILLISECOND) come back as bare words.
  return Number.isFinite(n) && /^[-+]?[\d.]/.test(word) ? n : word;
}

/** Reads `"key":value` members until `close` (or end of text). */
function readMembers(c: Cursor, close?: string): Record<string, TtpValue> {
  const out: Record<string, TtpValue> = {};
  for (;;) {
    skipSpace(c);
    if (c.i >= c.s.length || c.s[c.i] === close) return out;
    if (c.s[c.i] !== '"') throw new Error(`key expected at ${c.i}`);
    const key = readString(c);
    if (c.s[c.i] !== ':') throw new Error(`':' expected at ${c.i}`);
    c.i++;
    out[key] = readValue(c);
  }
}

function readValue(c: Cursor): TtpValue {
  skipSpace(c);
  const ch = c.s[c.i];
  if (ch === '"') return readString(c);
  if (ch === '[') {
    c.i++;
    const items: TtpValue[] = [];
    for (skipSpace(c); c.s[c.i] !== ']'; skipSpace(c)) {
      if (c.i >= c.s.length) throw new Error('unterminated list');
      items.push(readValue(c));
    }
    c.i++;
    return items;
  }
  if (ch === '{') {
    c.i++;
    const obj = readMembers(c, '}');
    if (c.s[c.i] !== '}') throw new Error('unterminated object');
    c.i++;
    return obj;
  }
  return readBare(c);
}

/** Verbose body: `"value":-3.000000 "other":true` → record. Throws on malformed text. */
export function parseMembers(text: string): Record<string, TtpValue> {
  return readMembers({ s: text, i: 0 });
}

/** Non-verbose body: `-3.000000 true "x"` → list of values. Throws on malformed text. */
export function parseValues(text: string): TtpValue[] {
  const c = { s: text, i: 0 };
  const out: TtpValue[] = [];
  for (skipSpace(c); c.i < c.s.length; skipSpace(c)) out.push(readValue(c));
  return out;
}

/** Formats a value the way Tesira prints it: numbers with 6 decimals, strings quoted, lists in brackets. */
export function formatValue(v: TtpValue): string {
  if (typeof v === 'number') return v.toFixed(6);
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return `"${v}"`;
  if (v === null) return 'null';
  if (Array.isArray(v)) return `[${v.map(formatValue).join(' ')}]`;
  return `{${Object.entries(v)
    .map(([k, x]) => `"${k}":${formatValue(x)}`)
    .join(' ')}}`;
}
