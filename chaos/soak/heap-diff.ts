// `npx tsx chaos/soak/heap-diff.ts BEFORE.heapsnapshot AFTER.heapsnapshot [--top 25]`
//
// What grew in a process's JS heap between two snapshots (the soak writes them with --heap-snapshots): objects
// grouped by type and constructor/name, their count and self size in each, sorted by the growth of self size.
// Self size only (not retained): enough to name what accumulates; open the files in Chromium's DevTools to see
// who retains it.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

export type HeapGroups = Map<string, { count: number; bytes: number }>;

/** Groups a parsed .heapsnapshot's nodes by "type:name" (strings cut at 60 chars so each string is not its own group). */
export function groupHeap(snap: Snapshot): HeapGroups {
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const [iType, iName, iSize] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
  const groups: HeapGroups = new Map();
  for (let i = 0; i < snap.nodes.length; i += fields.length) {
    const type = types[snap.nodes[i + iType]];
    const name =
      type === 'string' || type === 'concatenated string' || type === 'sliced string' ? '(strings)' : snap.strings[snap.nodes[i + iName]];
    const key = `${type}:${name.slice(0, 60)}`;
    const g = groups.get(key) ?? { count: 0, bytes: 0 };
    g.count++;
    g.bytes += snap.nodes[i + iSize];
    groups.set(key, g);
  }
  return groups;
}

export function diffHeaps(before: HeapGroups, after: HeapGroups, top = 25) {
  const keys = new Set([...before.keys(), ...after.keys()]);
  const rows = [...keys].map((key) => {
    const a = before.get(key) ?? { count: 0, bytes: 0 };
    const b = after.get(key) ?? { count: 0, bytes: 0 };
    return { key, countBefore: a.count, countAfter: b.count, bytesBefore: a.bytes, bytesAfter: b.bytes, growth: b.bytes - a.bytes };
  });
  return rows.sort((x, y) => y.growth - x.growth).slice(0, top);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '25' } } });
  if (positionals.length !== 2) throw new Error('usage: heap-diff.ts BEFORE.heapsnapshot AFTER.heapsnapshot [--top N]');
  const [before, after] = positionals.map((f) => groupHeap(JSON.parse(readFileSync(f, 'utf8')) as Snapshot));
  const total = (g: HeapGroups) => [...g.values()].reduce((s, v) => s + v.bytes, 0) / 1048576;
  process.stdout.write(`heap self size: ${total(before).toFixed(1)} MB → ${total(after).toFixed(1)} MB\n\n`);
  process.stdout.write('| type:name | count before → after | MB before → after | growth MB |\n| --- | --- | --- | --- |\n');
  for (const r of diffHeaps(before, after, Number(values.top)))
    process.stdout.write(
      `| ${r.key} | ${r.countBefore} → ${r.countAfter} | ${(r.bytesBefore / 1048576).toFixed(2)} → ${(r.bytesAfter / 1048576).toFixed(2)} | ${(r.growth / 1048576).toFixed(2)} |\n`,
    );
}
