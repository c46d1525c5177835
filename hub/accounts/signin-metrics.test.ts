import { afterEach, describe, expect, it } from 'vitest';
import { promtoolProblems } from '../../common/metrics/test/promtool.js';
import { createMetricsRegistry } from '../../common/metrics/registry.js';
import { registerSigninMetrics } from './signin-metrics.js';
import { addAccount, signinApp } from './test/signin-app.js';

let t: Awaited<ReturnType<typeof signinApp>>;
afterEach(() => t?.stop());

describe('sign-in metrics', () => {
  it('count sign-ins by method and outcome, and open sessions; promtool accepts them', async () => {
    t = await signinApp();
    await addAccount(t.stateDir, 'lan', 'mat-khau-dai-2026', ['officer']);
    const registry = createMetricsRegistry();
    registerSigninMetrics(registry, t.signin);
    const signIn = (password: string) =>
      t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { name: 'lan', password }, remoteAddress: '10.9.8.7' });
    expect((await signIn('mat-khau-dai-2026')).statusCode).toBe(200);
    for (let i = 0; i < 4; i++) await signIn(`sai-${i}-mat-khau`);
    expect((await signIn('mat-khau-dai-2026')).statusCode).toBe(429);
    const text = await registry.metrics();
    expect(text).toContain('reception_hub_signins_total{via="local",outcome="ok"} 1');
    expect(text).toContain('reception_hub_signins_total{via="local",outcome="refused"} 4');
    expect(text).toContain('reception_hub_signins_total{via="local",outcome="throttled"} 1');
    expect(text).toContain('reception_hub_signins_total{via="oidc",outcome="ok"} 0');
    expect(text).toMatch(/^reception_hub_sessions 1$/m);
    expect(promtoolProblems(text)).toEqual([]);
  });
});
