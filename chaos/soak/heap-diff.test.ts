import { describe, expect, it } from 'vitest';
import { diffHeaps, groupHeap } from './heap-diff.js';

// A hand-written snapshot in V8's format: fields per node, type names, strings by index.
const snapshot = (nodes: [type: number, name: number, size: number][]) => ({
  snapshot: {
    meta: {
      node_fields: ['type', 'name', 'id', 'self_size', 'edge_count'],
      node_types: [['hidden', 'object', 'string'] as string[]] as [string[]],
    },
  },
  nodes: nodes.flatMap(([t, n, s], i) => [t, n, i + 1, s, 0]),
  strings: ['Entry', 'Map', 'some text'],
});

describe('heap-diff', () => {
  it('groups objects by constructor and strings together, then sorts by growth of self size', () => {
    const before = groupHeap(
      snapshot([
        [1, 0, 100],
        [1, 1, 50],
        [2, 2, 30],
      ]),
    );
    const after = groupHeap(
      snapshot([
        [1, 0, 100],
        [1, 0, 100],
        [1, 0, 100],
        [1, 1, 50],
        [2, 2, 30],
        [2, 2, 40],
      ]),
    );
    expect(after.get('object:Entry')).toEqual({ count: 3, bytes: 300 });
    expect(after.get('string:(strings)')).toEqual({ count: 2, bytes: 70 });
    const rows = diffHeaps(before, after, 2);
    expect(rows.map((r) => [r.key, r.growth])).toEqual([
      ['object:Entry', 200],
      ['string:(strings)', 40],
    ]);
  });
});
