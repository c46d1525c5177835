import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe } from 'vitest';
import { type JanusProcess, janusMissing, startJanus } from '../../tests/helpers/janus-server.js';
import { whipSuite } from './test/rfc9725-suite.js';

// The same RFC 9725 suite with Janus VideoRoom as the media plane (a real Janus 1.1.2 process): WHIP publishers
// go into Janus, WHEP viewers are answered by the hub's relay of the Janus feed (hub/janus/README.md).

const missing = janusMissing();
let janus: JanusProcess | undefined;
const dir = mkdtempSync(join(tmpdir(), 'whip-janus-'));

describe.skipIf(missing)(`with Janus${missing ? ` (skipped: ${missing})` : ''}`, () => {
  beforeAll(async () => {
    janus = await startJanus(join(dir, 'janus'), { rtpPorts: [45000, 45999], apiSecret: 'whip-janus-secret' });
    writeFileSync(join(dir, 'secret'), 'whip-janus-secret\n', { mode: 0o600 });
  }, 30_000);
  afterAll(async () => {
    await janus?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  whipSuite('WHIP/WHEP per RFC 9725 (janus)', () => ({
    plane: 'janus',
    janus: { url: janus!.url, apiSecretFile: join(dir, 'secret'), adminUrl: '', adminSecretFile: '', timeoutMs: 10_000 },
  }));
});
