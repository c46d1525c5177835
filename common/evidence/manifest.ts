import { canonicalJson, sha256Hex } from './canonical.js';
import { signHash } from './keys.js';
import type { ManifestEntry } from './entry-schema.js';

// Manifest entries (docs/EVIDENCE.md "Manifest entries"): one signed, hash-chained JSON line each.
// Their shapes are TypeBox schemas (entry-schema.ts); here sealing, serializing and parsing.

export const GENESIS_PREV = '0'.repeat(64);
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** What a writer supplies; sealEntry fills in the chain fields. */
export type EntryDraft = DistributiveOmit<ManifestEntry, 'v' | 'seq' | 'prev' | 'hash' | 'sig'>;
/** A draft without hearing/at: what ManifestWriter / createManifestFile callers supply. */
export type EntryBody = DistributiveOmit<ManifestEntry, 'v' | 'seq' | 'prev' | 'hash' | 'sig' | 'hearing' | 'at'>;

/** The hash of an entry: SHA-256 of its canonical JSON without `hash` and `sig`. */
export function entryHash(entry: object): string {
  const { hash: _h, sig: _s, ...rest } = entry as Record<string, unknown>;
  return sha256Hex(canonicalJson(rest));
}

export function sealEntry(draft: EntryDraft, prev: ManifestEntry | null, privateKeyPem: string): ManifestEntry {
  const body = { ...draft, v: 1 as const, seq: prev ? prev.seq + 1 : 0, prev: prev ? prev.hash : GENESIS_PREV };
  const hash = entryHash(body);
  return { ...body, hash, sig: signHash(hash, privateKeyPem) } as ManifestEntry;
}

/** One line per entry, written exactly like this (canonical JSON) so the file is reproducible. */
export function serializeEntry(entry: ManifestEntry): string {
  return canonicalJson(entry) + '\n';
}

export interface ParseError {
  line: number;
  message: string;
}

/**
 * Parses JSONL; shape checks are verifyChain's job. A torn or blank line is an error, never skipped, and
 * so is a line that is not exactly the canonical JSON of the entry it holds (what serializeEntry writes):
 * a duplicate key (JSON.parse would keep the last value silently), a field named after an
 * Object.prototype member (`__proto__`, `constructor`, `toString`…), other whitespace, key order,
 * number or string spelling. The evidence is the bytes, so they have one spelling only.
 */
export function parseManifest(text: string): { entries: ManifestEntry[]; errors: ParseError[] } {
  const entries: ManifestEntry[] = [];
  const errors: ParseError[] = [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  else if (lines.length > 0) errors.push({ line: lines.length, message: 'last line has no newline (truncated write?)' });
  lines.forEach((line, i) => {
    if (line.trim() === '') return void errors.push({ line: i + 1, message: 'empty line' });
    try {
      const value: unknown = JSON.parse(line);
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not a JSON object');
      const duplicate = firstDuplicateKey(line);
      if (duplicate !== undefined) throw new Error(`duplicate key ${JSON.stringify(duplicate)}`);
      const inherited = Object.keys(value).find((k) => Object.hasOwn(Object.prototype, k));
      if (inherited !== undefined) throw new Error(`field ${JSON.stringify(inherited)} names an Object.prototype member`);
      if (canonicalJson(value) !== line) throw new Error('not the canonical JSON (RFC 8785) of its entry');
      entries.push(value as ManifestEntry);
    } catch (err) {
      errors.push({ line: i + 1, message: (err as Error).message });
    }
  });
  errors.sort((a, b) => a.line - b.line);
  return { entries, errors };
}

/** The first key that occurs twice in one object of a text JSON.parse has accepted, as JSON.parse decodes it. */
function firstDuplicateKey(json: string): string | undefined {
  const objects: (Set<string> | null)[] = []; // null: an array
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (c === '{') objects.push(new Set());
    else if (c === '[') objects.push(null);
    else if (c === '}' || c === ']') objects.pop();
    else if (c === '"') {
      let end = i + 1;
      while (json[end] !== '"') end += json[end] === '\\' ? 2 : 1;
      const raw = json.slice(i, end + 1);
      i = end;
      let next = end + 1;
      while (json[next] === ' ' || json[next] === '\t' || json[next] === '\n' || json[next] === '\r') next++;
      const keys = objects[objects.length - 1];
      if (json[next] !== ':' || !keys) continue;
      const key = JSON.parse(raw) as string;
      if (keys.has(key)) return key;
      keys.add(key);
    }
  }
  return undefined;
}
