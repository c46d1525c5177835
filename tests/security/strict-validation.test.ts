import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiFixture } from '../../daemon/modules/api/test/api-fixture.js';
import { OFFICER_TOKEN, startTestHub } from '../../hub/test/hub-fixture.js';

// Issue 10 item 7: fastify's ajv coerced bodies ("title":12345 → "12345", 201) and dropped unknown fields
// silently. Both servers now take a body as sent: a wrong type or an unknown field is a 400 naming it.

describe('hub: request bodies are not coerced and unknown fields are refused', () => {
  let hub: Awaited<ReturnType<typeof startTestHub>>;
  const officer = { authorization: `Bearer ${OFFICER_TOKEN}` };
  beforeAll(async () => {
    hub = await startTestHub({ allowLoopbackOfficers: false });
  });
  afterAll(() => hub.stop());
  const create = (payload: unknown) =>
    hub.app.inject({ method: 'POST', url: '/api/v1/hearings', headers: officer, payload: payload as object });

  it('a number for the title → 400 body.title (not 201 with "12345")', async () => {
    const res = await create({ title: 12345 });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'INVALID_REQUEST', field: 'body.title' });
  });
  it('an unknown field → 400 naming it', async () => {
    const res = await create({ title: 'Tiếp dân', colour: 'red' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'INVALID_REQUEST', field: 'body.colour' });
  });
  it('a valid body still creates the hearing, with its defaults', async () => {
    const res = await create({ title: 'Tiếp dân' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ title: 'Tiếp dân', rooms: [] });
  });
  it('a string for a number in a path or query still converts (they arrive as strings)', async () => {
    expect((await hub.app.inject({ url: '/api/v1/hearings', headers: officer })).statusCode).toBe(200);
  });
});

describe('room daemon: request bodies are not coerced and unknown fields are refused', () => {
  let f: Awaited<ReturnType<typeof apiFixture>>;
  beforeAll(async () => {
    f = await apiFixture();
  });
  afterAll(() => f.close());
  const mute = (payload: unknown) => f.app.inject({ method: 'POST', url: '/api/v1/audio/channels/mic/mute', payload: payload as object });

  it('"true" for a boolean → 400 body.muted', async () => {
    const res = await mute({ muted: 'true' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'INVALID_REQUEST', field: 'body.muted' });
  });
  it('an unknown field → 400 naming it (not dropped)', async () => {
    const res = await mute({ muted: true, volume: 11 });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ field: 'body.volume' });
  });
  it('a valid body and a numeric query still pass', async () => {
    expect((await mute({ muted: true })).statusCode).toBe(200);
    expect((await f.app.inject({ url: '/api/v1/audit?limit=5' })).statusCode).toBe(200);
    expect((await f.app.inject({ url: '/api/v1/audit' })).statusCode).toBe(200);
  });
});
