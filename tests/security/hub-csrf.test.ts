import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/log.js';
import { addAccount } from '../../hub/accounts/test/signin-app.js';
import { buildHub } from '../../hub/create-hub.js';

// Issue 10 item 4: a browser signed in at the hub carries its session cookie on every request, so a
// state-changing request must also prove it comes from the console (x-csrf-token = the session's csrf),
// or a page that got past SameSite and Origin (a sibling subdomain, an old browser) could act as the
// officer. Roles follow the account: an officer's session cannot read the book (supervisor).

const LAN = { remoteAddress: '10.1.2.3' };

describe('sessions at the hub: CSRF token and roles', () => {
  let app: Awaited<ReturnType<typeof buildHub>>['app'];
  let store: Awaited<ReturnType<typeof buildHub>>['store'];
  const session = { cookie: '', csrf: '' };
  beforeAll(async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'hub-csrf-'));
    await addAccount(stateDir, 'lan', 'mật-khẩu-đủ-dài-2025', ['officer']);
    ({ app, store } = await buildHub({
      host: '127.0.0.1',
      port: 0,
      publicUrl: '',
      tokens: [],
      allowLoopbackOfficers: false,
      ice: { hostAddresses: ['127.0.0.1'], useIpv6: false, stunUrls: [], portMin: 0, portMax: 0 },
      stateDir,
      archive: { enabled: false, dir: '', maxChunkMb: 4 },
      logger: silentLogger(),
    }));
    const r = await app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { name: 'lan', password: 'mật-khẩu-đủ-dài-2025' },
      ...LAN,
    });
    expect(r.statusCode).toBe(200);
    session.cookie = String(r.headers['set-cookie']).split(';')[0]!;
    session.csrf = r.json().csrf;
  });
  afterAll(() => app?.close());

  it('a cookie alone reads (GET) but changes nothing: POST without or with a wrong x-csrf-token is 403, the hearing not created', async () => {
    expect((await app.inject({ url: '/api/v1/hearings', headers: { cookie: session.cookie }, ...LAN })).statusCode).toBe(200);
    const create = (headers: Record<string, string>) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/hearings',
        headers: { cookie: session.cookie, ...headers },
        payload: { title: 'CSRF' },
        ...LAN,
      });
    const attempts: Record<string, string>[] = [{}, { 'x-csrf-token': 'guess' }, { 'x-csrf-token': `${session.csrf}x` }];
    for (const h of attempts) {
      const r = await create(h);
      expect(r.statusCode, JSON.stringify(h)).toBe(403);
      expect(r.json().message).toContain('CSRF');
    }
    expect(store.list().filter((h) => h.title === 'CSRF')).toHaveLength(0);
    expect((await create({ 'x-csrf-token': session.csrf })).statusCode).toBe(201);
  });

  it("the session's roles apply: an officer's session may not read the audit log (403 needs supervisor), nor scrape metrics", async () => {
    const audit = await app.inject({ url: '/api/v1/audit', headers: { cookie: session.cookie }, ...LAN });
    expect(audit.json()).toMatchObject({ statusCode: 403, message: 'lan: cần vai trò supervisor / needs role supervisor' });
    expect((await app.inject({ url: '/metrics', headers: { cookie: session.cookie }, ...LAN })).statusCode).toBe(403);
  });

  it('a forged or stale cookie is nobody (401)', async () => {
    const r = await app.inject({ url: '/api/v1/hearings', headers: { cookie: 'reception_session=forged' }, ...LAN });
    expect(r.statusCode).toBe(401);
  });
});
