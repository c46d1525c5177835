import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub } from './test/hub-fixture.js';

// The REST routes document themselves (their TypeBox schemas) at /docs.

describe('hub OpenAPI', () => {
  let hub: Awaited<ReturnType<typeof startTestHub>>;
  beforeAll(async () => {
    hub = await startTestHub({ rooms: 1 });
  });
  afterAll(() => hub?.stop());

  it('/docs/json lists the hearing routes with their schemas', async () => {
    const res = await hub.app.inject({ method: 'GET', url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.info.title).toBe('Reception hub API');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/hearings', '/api/v1/hearings/{id}', '/api/v1/rooms', '/metrics']),
    );
    const create = doc.paths['/api/v1/hearings'].post;
    expect(create.requestBody.content['application/json'].schema.required).toContain('title');
    expect(Object.keys(create.responses)).toEqual(expect.arrayContaining(['201', '404', '409']));
  });

  it('/docs serves the UI', async () => {
    const res = await hub.app.inject({ method: 'GET', url: '/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('swagger');
  });
});
