import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeEnrollment } from '../contracts/enrollment-file.js';
import { baseFromSignalUrl, openHubLink } from './hub-link.js';

// Where a room process goes and as whom: the enrollment wins over the config; without one, the config's
// URL and (being retired) secret, which a hub without configured rooms refuses.

const RECEIPT_PEM = '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----\n';

describe('hub link', () => {
  it('takes URL and token from the enrollment, whatever the config says', async () => {
    const state = mkdtempSync(join(tmpdir(), 'link-'));
    await writeEnrollment(state, {
      hubUrl: 'http://127.0.0.1:8090',
      room: 'room-a',
      name: 'A',
      token: 'rt1.abc',
      fingerprint: 'f'.repeat(64),
      enrolledAt: new Date().toISOString(),
      hubReceiptKeyPem: RECEIPT_PEM,
    });
    const link = await openHubLink(state, { hubUrl: 'ws://elsewhere:1/api/v1/signal', secret: 'old-shared-secret' });
    expect(link).toMatchObject({
      enrolled: true,
      room: 'room-a',
      token: 'rt1.abc',
      baseUrl: 'http://127.0.0.1:8090',
      signalUrl: 'ws://127.0.0.1:8090/api/v1/signal',
    });
    await link.close();
  });

  it('without an enrollment: the config URL (ws → http) and its secret, default none', async () => {
    const state = mkdtempSync(join(tmpdir(), 'link-'));
    const link = await openHubLink(state, { hubUrl: 'wss://hub.example:8090/api/v1/signal' });
    expect(link).toMatchObject({
      enrolled: false,
      token: '',
      baseUrl: 'https://hub.example:8090',
      signalUrl: 'wss://hub.example:8090/api/v1/signal',
    });
    expect(link.wsOptions.ca?.length).toBeGreaterThan(0); // https without an enrolled CA: the system's roots
    await link.close();
    expect(baseFromSignalUrl('ws://127.0.0.1:8090/api/v1/signal')).toBe('http://127.0.0.1:8090');
  });
});
