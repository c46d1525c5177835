import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTicketChecker, isStateToken, issueTicket, stateToken, ticketFromProtocols } from './bridge-ticket.js';
import { LOCAL_SECRET_FILE, loadLocalSecret } from './local-secret.js';

describe('the room local secret', () => {
  it('is created once, 0600, 32 bytes; every later load (and a racing one) reads the same', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'local-secret-')), 'state');
    const racing = await Promise.all(Array.from({ length: 8 }, () => loadLocalSecret(dir)));
    expect(racing[0]).toHaveLength(32);
    for (const s of racing) expect(s.equals(racing[0]!)).toBe(true);
    expect(statSync(join(dir, LOCAL_SECRET_FILE)).mode & 0o777).toBe(0o600);
    expect((await loadLocalSecret(dir)).equals(racing[0]!)).toBe(true);
  });

  it('a damaged file is an error naming it, never silently replaced', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'local-secret-'));
    writeFileSync(join(dir, LOCAL_SECRET_FILE), 'not hex\n');
    await expect(loadLocalSecret(dir)).rejects.toThrow(/local-bridge\.key: not a local bridge secret/);
  });
});

describe('kiosk bridge tickets', () => {
  const secret = Buffer.alloc(32, 1);

  it('a ticket opens once, until it expires', () => {
    const clock = { t: 1_000_000 };
    const check = createTicketChecker(secret, () => clock.t);
    const a = issueTicket(secret, clock.t, 60_000).ticket;
    expect(check(a)).toEqual({ ok: true });
    expect(check(a)).toEqual({ ok: false, reason: 'reused' });
    const b = issueTicket(secret, clock.t, 60_000).ticket;
    clock.t += 60_000;
    expect(check(b)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses another secret, a changed expiry and garbage', () => {
    const check = createTicketChecker(secret);
    expect(check(issueTicket(Buffer.alloc(32, 2)).ticket)).toEqual({ ok: false, reason: 'bad-signature' });
    const [v, exp, nonce, sig] = issueTicket(secret).ticket.split('.');
    const later = (Number.parseInt(exp!, 36) + 3_600_000).toString(36);
    expect(check([v, later, nonce, sig].join('.'))).toEqual({ ok: false, reason: 'bad-signature' });
    for (const junk of ['', 'v1', 'v1.x.y.z', `v2.${exp}.${nonce}.${sig}`]) expect(check(junk)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('is read from the subprotocol list a WebSocket client offers', () => {
    expect(ticketFromProtocols('reception-kiosk.v1, ticket.v1.abc')).toBe('v1.abc');
    expect(ticketFromProtocols(['reception-kiosk.v1', 'ticket.t'])).toBe('t');
    expect(ticketFromProtocols(undefined)).toBeUndefined();
  });

  it('the /state token is derived (not the secret) and compared exactly', () => {
    const t = stateToken(secret);
    expect(t).not.toContain(secret.toString('hex'));
    expect(isStateToken(secret, t)).toBe(true);
    expect(isStateToken(secret, `${t}0`)).toBe(false);
    expect(isStateToken(secret, stateToken(Buffer.alloc(32, 3)))).toBe(false);
    expect(isStateToken(secret, undefined)).toBe(false);
  });
});
