import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readEnrollment, enrollmentPath } from '../../common/contracts/enrollment-file.js';
import { normalizeCode } from '../../common/contracts/enrollment.js';
import { silentLogger } from '../../common/log.js';
import { enrollBox } from '../../daemon/modules/enrollment/enroll-box.js';
import { startEnrollmentApp } from './test/enrollment-app.js';

const tmp = (p: string) => mkdtempSync(join(tmpdir(), p));
const stops: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const s of stops.splice(0)) await s();
});
async function app(opts: Parameters<typeof startEnrollmentApp>[0] = {}) {
  const a = await startEnrollmentApp(opts);
  stops.push(a.stop);
  return a;
}
const tech = { authorization: 'Bearer tech-token' };
async function issue(url: string, body: object, headers: Record<string, string> = tech) {
  const res = await fetch(`${url}/api/v1/enrollment/codes`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as { code: string; expiresAt: string; message?: string } };
}

describe('enrollment (hub routes + reception enroll)', () => {
  it('a technician issues a code; the box enrolls with it and gets its token, the receipt key, a 0600 enrollment.json', async () => {
    const hubState = tmp('hub-');
    const hub = await app({ stateDir: hubState, receiptKeyFile: join(hubState, 'keys', 'hub-ed25519.pem') });
    const issued = await issue(hub.url, { room: 'room-a', name: 'Phòng A', ttlMinutes: 30 });
    expect(issued.status).toBe(201);
    expect(issued.body.code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(readFileSync(join(hubState, 'enrollment-codes.json'), 'utf8')).not.toContain(normalizeCode(issued.body.code)!);
    expect(statSync(join(hubState, 'enrollment-codes.json')).mode & 0o777).toBe(0o600);

    const box = tmp('box-');
    const { enrollment } = await enrollBox({
      hubUrl: hub.url,
      code: issued.body.code.toLowerCase(),
      room: 'room-a',
      stateDir: box,
      logger: silentLogger(),
    });
    expect(statSync(enrollmentPath(box)).mode & 0o777).toBe(0o600);
    expect(await readEnrollment(box)).toEqual(enrollment);
    expect(enrollment).toMatchObject({ room: 'room-a', name: 'Phòng A', hubUrl: hub.url });
    expect(enrollment.caPem).toBeUndefined(); // plain http: no CA
    expect(hub.registry.roomByToken(enrollment.token)?.key.fingerprint).toBe(enrollment.fingerprint);
    expect(hub.registry.room('room-a')?.keys[0]?.enrolledBy).toMatch(/^token:technician/);
    expect(hub.audited.map((e) => `${e.action}:${e.outcome}`)).toEqual(['enroll.code:ok', 'enroll:ok']);
    expect(JSON.stringify(hub.audited)).not.toContain(normalizeCode(issued.body.code)!.slice(0, 8));
    const view = await fetch(`${hub.url}/api/v1/registry/rooms`, { headers: { authorization: 'Bearer mon-token' } }).then((r) => r.json());
    expect(view).toMatchObject([{ id: 'room-a', state: 'active', keys: [{ fingerprint: enrollment.fingerprint }] }]);
    expect(JSON.stringify(view)).not.toContain('tokenSha256');
  });

  it('issuing codes and revoking need the technician role: 401 without a credential, 403 for a monitor or an officer (who may read the registry)', async () => {
    const hub = await app();
    expect((await issue(hub.url, { room: 'room-a' }, {})).status).toBe(401);
    expect((await issue(hub.url, { room: 'room-a' }, { authorization: 'Bearer mon-token' })).status).toBe(403);
    expect((await issue(hub.url, { room: 'Room A!' })).status).toBe(400);
    const officer = { authorization: 'Bearer off-token' };
    expect((await issue(hub.url, { room: 'room-a' }, officer)).status).toBe(403);
    expect((await fetch(`${hub.url}/api/v1/registry/rooms`, { headers: officer })).status).toBe(200); // why a room is offline
    const revoke = await fetch(`${hub.url}/api/v1/registry/rooms/room-a/revoke`, {
      method: 'POST',
      headers: { ...officer, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(revoke.status).toBe(403);
  });

  it('revoke: the token dies, the registry says revoked, a second revoke is 409, an unknown room 404', async () => {
    const hub = await app();
    const { body } = await issue(hub.url, { room: 'room-a' });
    const box = tmp('box-');
    const { enrollment } = await enrollBox({ hubUrl: hub.url, code: body.code, room: 'room-a', stateDir: box, logger: silentLogger() });
    const revoke = (id: string) =>
      fetch(`${hub.url}/api/v1/registry/rooms/${id}/revoke`, {
        method: 'POST',
        headers: { ...tech, 'content-type': 'application/json' },
        body: JSON.stringify({ reason: 'box stolen' }),
      });
    const res = await revoke('room-a');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      id: 'room-a',
      state: 'revoked',
      keys: [{ revokedBy: 'token:technician', reason: 'box stolen' }],
    });
    expect(hub.registry.roomByToken(enrollment.token)).toBeUndefined();
    expect((await revoke('room-a')).status).toBe(409);
    expect((await revoke('room-zz')).status).toBe(404);
    expect(hub.audited.at(-1)).toMatchObject({ action: 'revoke', target: 'room-a', outcome: 'ok' });

    // re-enroll with a new code: the same box key is active again, under a new token
    const again = await issue(hub.url, { room: 'room-a' });
    const second = await enrollBox({ hubUrl: hub.url, code: again.body.code, room: 'room-a', stateDir: box, logger: silentLogger() });
    expect(second.enrollment.token).not.toBe(enrollment.token);
    expect(hub.registry.roomByToken(second.enrollment.token)?.room.id).toBe('room-a');
  });

  it('enroll attempts are limited per address (429 with Retry-After)', async () => {
    const hub = await app({ maxAttempts: 2 });
    const box = tmp('box-');
    const wrong = () =>
      enrollBox({ hubUrl: hub.url, code: 'AAAA-AAAA-AAAA-AAAA', room: 'room-a', stateDir: box, logger: silentLogger() }).catch((e) => e);
    expect((await wrong()).status).toBe(401);
    expect((await wrong()).status).toBe(401);
    const third = await wrong();
    expect(third.status).toBe(429);
    expect(third.code).toBe('TOO_MANY_ATTEMPTS');
  });
});
