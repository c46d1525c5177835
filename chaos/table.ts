// The chaos table in docs/RELIABILITY.md, between <!-- chaos:table:start --> and <!-- chaos:table:end -->.
// Rows are keyed by scenario name: a run replaces the rows of the scenarios it ran and keeps the others
// (with their own run date), so `--only NAME` updates one line. Pure string work (tested).

export const START = '<!-- chaos:table:start -->';
export const END = '<!-- chaos:table:end -->';
export const SOAK_START = '<!-- soak:start -->';
export const SOAK_END = '<!-- soak:end -->';

export interface Row {
  name: string;
  fault: string;
  before: string;
  during: string;
  after: string;
  recovery: string;
  gaps: string;
  verification: string;
  result: string;
  notes: string;
  date: string;
}

const HEADER =
  '| Scenario | Fault | Before | During | After | Recovery | Gaps in the manifest | Verification (project · independent) | Result | Notes | Run |\n' +
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function rowLine(r: Row): string {
  return `| \`${r.name}\` | ${[r.fault, r.before, r.during, r.after, r.recovery, r.gaps, r.verification, r.result, r.notes, r.date].map(cell).join(' | ')} |`;
}

/** Rows already in the section, by scenario name (the whole line kept as it is). */
export function parseRows(section: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of section.split('\n')) {
    const m = /^\| `([a-z0-9-]+)` \|/.exec(line);
    if (m) out.set(m[1]!, line);
  }
  return out;
}

export const EMPTY_DOC = `# Reliability

What the system does when things go wrong on purpose (issue 12). Figures are measured on the 2-core
Debian 12 box, by the tools named in each section; they are not targets unless said so.

## Chaos run (\`npm run chaos\`)

${START}
${END}

## Soak (\`npm run soak\`)

${SOAK_START}
${SOAK_END}
`;

/** The document with the chaos section's rows merged (new rows replace same-named ones), in `order`. */
export function mergeTable(doc: string, rows: Row[], order: string[], legend: string): string {
  if (!doc.includes(START) || !doc.includes(END)) doc = `${doc.trimEnd()}\n\n## Chaos run (\`npm run chaos\`)\n\n${START}\n${END}\n`;
  const a = doc.indexOf(START) + START.length;
  const b = doc.indexOf(END);
  const section = doc.slice(a, b);
  const existing = parseRows(section);
  for (const r of rows) existing.set(r.name, rowLine(r));
  const names = [...order.filter((n) => existing.has(n)), ...[...existing.keys()].filter((n) => !order.includes(n))];
  // text written below the table (the known defects and their causes) is kept as it is
  const lines = section.split('\n');
  const lastRow = lines.map((l) => l.startsWith('|')).lastIndexOf(true);
  const footer =
    lastRow >= 0
      ? lines
          .slice(lastRow + 1)
          .join('\n')
          .trim()
      : '';
  const body = `\n${legend.trim()}\n\n${HEADER}\n${names.map((n) => existing.get(n)).join('\n')}\n${footer ? `\n${footer}\n` : ''}`;
  return doc.slice(0, a) + body + doc.slice(b);
}
