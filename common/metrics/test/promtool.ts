import { spawnSync } from 'node:child_process';

// `promtool check metrics` (Debian package `prometheus`, installed by scripts/bootstrap.sh; missing, the tests fail): the exposition parses and
// our metrics follow Prometheus' naming rules. prom-client's own defaults (nodejs_*, process_*) are
// left out of the lint, as node_exporter's checkmetrics.sh leaves out its generated ones:
// prom-client names three gauges nodejs_active_*_total.

const promtool = ['/usr/bin/promtool', '/usr/local/bin/promtool'].find((p) => spawnSync(p, ['--version']).status === 0);

/** Problems promtool finds in `text` (empty: clean); parse errors always count. */
export function promtoolProblems(text: string): string[] {
  if (!promtool) throw new Error('promtool is not installed (Debian package prometheus)');
  const r = spawnSync(promtool, ['check', 'metrics'], { input: text, encoding: 'utf8' });
  const lines = `${r.stdout}\n${r.stderr}`
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const problems = lines.filter((l) => !/^(nodejs|process)_/.test(l));
  if (r.status !== 0 && r.status !== 3 && problems.length === 0) problems.push(`promtool exited ${r.status}`);
  return problems;
}
