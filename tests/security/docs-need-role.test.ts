import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiFixture, REMOTE, TOKENS } from '../../daemon/modules/api/test/api-fixture.js';
import { OFFICER_TOKEN, startTestHub } from '../../hub/test/hub-fixture.js';

// Issue 10 item 7: /docs and /docs/json (the whole API's map) answered anyone. They now need a role.

describe('hub: the API docs need an officer', () => {
  let hub: Awaited<ReturnType<typeof startTestHub>>;
  beforeAll(async () => {
    hub = await startTestHub({ allowLoopbackOfficers: false });
  });
  afterAll(() => hub.stop());

  it.each(['/docs', '/docs/json', '/docs/static/index.html'])('%s without a token → 401', async (url) => {
    const res = await hub.app.inject({ url, ...REMOTE });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'UNAUTHORIZED' });
  });
  it('an enrolled room token is not an officer → 401/403', async () => {
    const res = await hub.app.inject({ url: '/docs/json', ...REMOTE, headers: { authorization: `Bearer ${hub.roomToken(1)}` } });
    expect([401, 403]).toContain(res.statusCode);
  });
  it('an officer reads them', async () => {
    const res = await hub.app.inject({ url: '/docs/json', ...REMOTE, headers: { authorization: `Bearer ${OFFICER_TOKEN}` } });
    expect(res.statusCode).toBe(200);
    expect(res.json().paths['/api/v1/hearings']).toBeDefined();
  });
});

describe('room daemon: the API docs need a role', () => {
  let f: Awaited<ReturnType<typeof apiFixture>>;
  beforeAll(async () => {
    f = await apiFixture('none');
  });
  afterAll(() => f.close());

  it.each(['/docs', '/docs/json'])('%s without a token → 401', async (url) => {
    expect((await f.app.inject({ url, ...REMOTE })).statusCode).toBe(401);
  });
  it('a monitor reads them', async () => {
    const res = await f.app.inject({ url: '/docs/json', ...REMOTE, headers: { authorization: `Bearer ${TOKENS.monitor}` } });
    expect(res.statusCode).toBe(200);
    expect(res.json().paths['/api/v1/health']).toBeDefined();
  });
});
