import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createRootLogger, redactUrl } from '../../common/log.js';
import { sha256Hex } from '../../hub/config/auth.js';
import { buildHub } from '../../hub/create-hub.js';
import { apiFixture, REMOTE, TOKENS } from '../../daemon/modules/api/test/api-fixture.js';

// Issue 10 item 7: `?token=` appeared in the hub's request log (fastify logs each request's URL). Both
// servers' root loggers now write credentials in a URL as [redacted]; the Authorization header is never logged.

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, logger: (name: string) => createRootLogger(name, 'info', stream) };
}

const SECRET = 'officer-very-secret-token';

describe('request logs carry no credentials', () => {
  it('hub: ?token= (and the Bearer header) never reach the log', async () => {
    const log = capture();
    const { app } = await buildHub({
      host: '127.0.0.1',
      port: 0,
      publicUrl: '',
      tokens: [{ name: 'Cán bộ thử', sha256: sha256Hex(SECRET), roles: ['officer'] }],
      allowLoopbackOfficers: false,
      ice: { hostAddresses: ['127.0.0.1'], useIpv6: false, stunUrls: [], portMin: 0, portMax: 0 },
      logger: log.logger('hub'),
    });
    try {
      // The hub refuses a credential in the URL (400, issue 10) — and still must not log it.
      expect((await app.inject({ url: `/api/v1/hearings?token=${SECRET}&x=1`, ...REMOTE })).statusCode).toBe(400);
      await app.inject({ url: '/api/v1/rooms', ...REMOTE, headers: { authorization: `Bearer ${SECRET}` } });
      await app.inject({ url: `/api/v1/rooms?TOKEN=${SECRET}`, ...REMOTE });
    } finally {
      await app.close();
    }
    const all = log.lines.join('');
    expect(all).toContain('/api/v1/hearings?token=[redacted]&x=1'); // the request is still logged
    expect(all).not.toContain(SECRET);
  });

  it('daemon: ?token= never reaches the log', async () => {
    const log = capture();
    const f = await apiFixture('none', log.logger('daemon'));
    try {
      expect((await f.app.inject({ url: `/api/v1/health?token=${TOKENS.technician}`, ...REMOTE })).statusCode).toBe(200);
    } finally {
      await f.close();
    }
    const all = log.lines.join('');
    expect(all).toContain('/api/v1/health?token=[redacted]');
    expect(all).not.toContain(TOKENS.technician);
  });

  it('redactUrl: every credential parameter, encoded names too; other parameters kept', () => {
    expect(redactUrl('/a?format=mp4&token=abc')).toBe('/a?format=mp4&token=[redacted]');
    expect(redactUrl('/a?access_token=abc&code=xyz&state=s')).toBe('/a?access_token=[redacted]&code=[redacted]&state=s');
    expect(redactUrl('/a?%74oken=abc')).toBe('/a?%74oken=[redacted]');
    expect(redactUrl('/a?token')).toBe('/a?token=[redacted]');
    expect(redactUrl('/plain')).toBe('/plain');
  });
});
