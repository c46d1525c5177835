import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../common/log.js';
import { hashToken } from '../access/access.js';
import { accessPlugin } from '../api/access-plugin.js';
import { installErrorHandler } from '../../../common/http/error-handler.js';
import { hearingRoutes } from '../api/routes/hearings.js';
import { ErrorReply } from '../api/schemas.js';
import { createAuditLog } from '../audit/audit-log.js';
import { createEventBus, type HearingEvent } from '../events/event-bus.js';
import { createHearings } from './create-hearings.js';

// The hearing rules against a stand-in gateway (a plain object: what the gateway-link would report).

function rig(stateFile = join(mkdtempSync(join(tmpdir(), 'hearings-')), 'hearings.json')) {
  const gw = { state: 'down', hearing: null as null | { id: string; title: string } };
  const bus = createEventBus();
  const events: HearingEvent[] = [];
  bus.on('hearing', (e) => events.push(e));
  const gateway = { summary: () => ({ state: gw.state }), detail: () => (gw.state === 'down' ? null : { hearing: gw.hearing }) };
  const hearings = createHearings({ stateFile, gateway, bus, logger: silentLogger(), pollMs: 60_000, endAfterMs: 1000 });
  return { gw, hearings, events, stateFile };
}

describe('hearings', () => {
  it('follows the connected gateway; a disconnect does not end it; a sustained "none" does; a restart resumes', async () => {
    const { gw, hearings, events, stateFile } = rig();
    await hearings.start();
    gw.state = 'connected';
    gw.hearing = { id: 'h-42', title: 'Tiếp dân' };
    await hearings.evaluate(0);
    expect(hearings.current()).toMatchObject({ id: 'h-42', source: 'hub' });
    gw.state = 'down'; // flood: the link is gone, the hearing (and its recording) goes on
    await hearings.evaluate(10_000);
    expect(hearings.current()?.id).toBe('h-42');
    await hearings.stop();

    const again = createHearings({
      stateFile,
      gateway: { summary: () => ({ state: 'connected' }), detail: () => ({ hearing: null }) },
      bus: (await import('../events/event-bus.js')).createEventBus(),
      logger: silentLogger(),
      pollMs: 60_000,
      endAfterMs: 1000,
    });
    await again.start();
    expect(again.current()?.id).toBe('h-42'); // resumed from hearings.json
    await again.evaluate(20_000);
    expect(again.current()?.id).toBe('h-42'); // a blip of "none" is not an end
    await again.evaluate(21_500);
    expect(again.current()).toBeNull();
    await again.stop();
    expect(events.map((e) => e.kind)).toEqual(['started']);
  });

  it('a local hearing survives the hub reporting none, and gives way to a hub hearing', async () => {
    const { gw, hearings } = rig();
    await hearings.start();
    const h = await hearings.startLocal('Phiên tại chỗ');
    expect(h.id).toMatch(/^local-\d{4}-/);
    await expect(hearings.startLocal('again')).rejects.toMatchObject({ statusCode: 409 });
    gw.state = 'connected';
    await hearings.evaluate(0);
    await hearings.evaluate(5000);
    expect(hearings.current()?.id).toBe(h.id);
    gw.hearing = { id: 'h-7', title: 'Hub' };
    await hearings.evaluate(6000);
    await hearings.evaluate(7500);
    expect(hearings.current()).toMatchObject({ id: 'h-7', source: 'hub' });
    await hearings.endCurrent('officer-user');
    await hearings.evaluate(9000); // still reported by the hub: not taken up again
    expect(hearings.current()).toBeNull();
    await hearings.stop();
  });

  it('API: start local (officer, audited), current (monitor), end; 409 and 404 as documented', async () => {
    const { hearings } = rig();
    await hearings.start();
    const auditFile = join(mkdtempSync(join(tmpdir(), 'audit-')), 'audit.jsonl');
    const audit = createAuditLog(auditFile);
    const app = Fastify().withTypeProvider<TypeBoxTypeProvider>();
    app.addSchema(ErrorReply);
    await app.register(accessPlugin, {
      access: {
        loopbackRole: 'none',
        tokens: [
          { name: 'off', role: 'officer', sha256: hashToken('o') },
          { name: 'mon', role: 'monitor', sha256: hashToken('m') },
        ],
      },
      audit,
    });
    installErrorHandler(app);
    await app.register(hearingRoutes, { prefix: '/api/v1', hearings });
    const as = (t: string) => ({ authorization: `Bearer ${t}` });
    expect(
      (await app.inject({ method: 'POST', url: '/api/v1/hearings/local', headers: as('m'), payload: { title: 'x' } })).statusCode,
    ).toBe(403);
    const started = await app.inject({
      method: 'POST',
      url: '/api/v1/hearings/local',
      headers: as('o'),
      payload: { title: 'Phiên tại chỗ' },
    });
    expect(started.statusCode).toBe(201);
    expect(
      (await app.inject({ method: 'POST', url: '/api/v1/hearings/local', headers: as('o'), payload: { title: 'y' } })).statusCode,
    ).toBe(409);
    const cur = await app.inject({ method: 'GET', url: '/api/v1/hearings/current', headers: as('m') });
    expect(cur.json().hearing).toMatchObject({ title: 'Phiên tại chỗ', source: 'local' });
    expect((await app.inject({ method: 'POST', url: '/api/v1/hearings/current/end', headers: as('o') })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/api/v1/hearings/current/end', headers: as('o') })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/api/v1/recording', headers: as('m') })).json()).toMatchObject({ state: 'disabled' });
    const actions = (await audit.recent(10)).map((e) => `${e.action} ${e.actor} ${e.status}`);
    expect(actions).toContain('hearing.start-local off 201');
    expect(actions).toContain('hearing.end off 200');
    await app.close();
    await hearings.stop();
  });
});
