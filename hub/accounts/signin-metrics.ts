import { counterFrom, gaugeFrom, type MetricsRegistry } from '../../common/metrics/registry.js';

// Sign-ins for Prometheus: `reception_hub_signins_total{via,outcome}` (local|oidc, ok|refused|throttled)
// — a burst of refused or throttled is someone guessing — and `reception_hub_sessions` (open now).

export const SIGNIN_OUTCOMES = ['ok', 'refused', 'throttled'] as const;
export type SigninOutcome = (typeof SIGNIN_OUTCOMES)[number];
type Via = 'local' | 'oidc';

export function createSigninCounts() {
  const counts = new Map<string, number>();
  for (const via of ['local', 'oidc'] as const) for (const outcome of SIGNIN_OUTCOMES) counts.set(`${via}|${outcome}`, 0);
  return {
    record(via: Via, outcome: SigninOutcome): void {
      const key = `${via}|${outcome}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    },
    rows: () =>
      [...counts].map(([key, n]) => {
        const [via, outcome] = key.split('|') as [Via, SigninOutcome];
        return [{ via, outcome }, n] as [Record<'via' | 'outcome', string>, number];
      }),
  };
}
export type SigninCounts = ReturnType<typeof createSigninCounts>;

export function registerSigninMetrics(registry: MetricsRegistry, signin: { counts: SigninCounts; sessions: { count(): number } }): void {
  counterFrom(registry, 'reception_hub_signins_total', 'people signing in at the hub, by method and outcome', ['via', 'outcome'], () =>
    signin.counts.rows(),
  );
  gaugeFrom(registry, 'reception_hub_sessions', "people's sessions open at the hub", [], () => [[{}, signin.sessions.count()]]);
}
