import { describe, expect, it } from 'vitest';
import { EMPTY_DOC, END, mergeTable, parseRows, type Row, SOAK_END, SOAK_START, START } from './table.js';

const row = (name: string, result = 'pass'): Row => ({
  name,
  fault: 'a | b',
  before: '30 fps',
  during: '20 fps',
  after: '30 fps',
  recovery: '0.5 s',
  gaps: 'none',
  verification: 'ok',
  result,
  notes: '',
  date: '2026-12-03 06:00',
});

describe('chaos table', () => {
  it('writes rows between the markers, in scenario order, leaving the soak section alone', () => {
    const doc = EMPTY_DOC.replace(`${SOAK_START}\n${SOAK_END}`, `${SOAK_START}\nsoak figures\n${SOAK_END}`);
    const out = mergeTable(doc, [row('b'), row('a')], ['a', 'b'], 'legend');
    const section = out.slice(out.indexOf(START), out.indexOf(END));
    expect([...parseRows(section).keys()]).toEqual(['a', 'b']);
    expect(section).toContain('a \\| b'); // a pipe inside a cell is escaped
    expect(out).toContain(`${SOAK_START}\nsoak figures\n${SOAK_END}`);
  });

  it('a later run replaces its own rows and keeps the others', () => {
    const first = mergeTable(EMPTY_DOC, [row('a'), row('b')], ['a', 'b', 'c'], 'legend');
    const second = mergeTable(first, [row('b', '**FAIL**: x'), row('c')], ['a', 'b', 'c'], 'legend');
    const rows = parseRows(second);
    expect([...rows.keys()]).toEqual(['a', 'b', 'c']);
    expect(rows.get('b')).toContain('**FAIL**: x');
    expect(second.split(START).length).toBe(2);
  });

  it('keeps the text below the table (known defects) across runs', () => {
    const first = mergeTable(EMPTY_DOC, [row('a')], ['a'], 'legend');
    const withText = first.replace(`\n${END}`, `\nKnown defects: a is slow.\n${END}`);
    const second = mergeTable(withText, [row('a', '**FAIL**: y')], ['a'], 'legend');
    expect(second).toContain('**FAIL**: y');
    expect(second).toContain(`Known defects: a is slow.\n${END}`);
  });

  it('adds the section to a document that has none', () => {
    const out = mergeTable('# Reliability\n\ntext\n', [row('a')], ['a'], 'legend');
    expect(out.startsWith('# Reliability\n\ntext\n')).toBe(true);
    expect(parseRows(out).size).toBe(1);
  });
});
