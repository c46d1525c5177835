import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommissioningListItem } from '../../common/contracts/commissioning.js';
import { freePort } from '../helpers/free-port.js';
import { startHubProcess } from '../helpers/hub-process.js';
import { issueCode, type ProvisionSim, provision, startProvisionRig } from '../helpers/provision-rig.js';
import { json } from '../helpers/room-processes.js';

// The hub is not there during commissioning: everything else is configured, the enrollment is left pending and
// said so, the self-test records and verifies but cannot upload, the report stays on the box (exit 1). The hub
// comes up, the technician gets a code and runs `reception provision` again: only the hub step and the
// self-test are done again, and the hub lists the room commissioned.

const ROOM = 'room-pending';

describe('reception provision with the hub away, then back (e2e)', () => {
  let sim: ProvisionSim;
  let hub: Awaited<ReturnType<typeof startHubProcess>> | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'provision-pending-'));
  let hubPort = 0;
  let answers: Record<string, unknown> = {};
  let passed = false;
  beforeAll(async () => {
    hubPort = await freePort();
    const rig = await startProvisionRig(dir);
    sim = rig.sim;
    answers = {
      room: { id: ROOM, name: 'Phòng chờ trung tâm' },
      config: rig.config,
      box: { minFreeMb: 500 },
      cameras: {
        targets: [rig.discoveryTarget],
        credentials: [{ username: 'admin', password: 'reception-sim' }],
        presets: [{ name: 'Công dân', pan: 0.1, tilt: 0, zoom: 0.2 }],
      },
      dsp: { ports: [sim.ready.tesira.device], meterSeconds: 2 },
      hub: { url: `http://127.0.0.1:${hubPort}` }, // nobody there yet; no code needed until it answers
      kiosk: { pin: '1357' },
      selfTest: { seconds: 5, uploadWaitSeconds: 120 },
    };
    writeFileSync(join(dir, 'answers.json'), JSON.stringify(answers));
  }, 60_000);

  afterAll(async () => {
    await sim?.stop('SIGINT');
    await hub?.stop('SIGINT');
    if (passed) rmSync(dir, { recursive: true, force: true });
  });

  it('hub away: the rest configured, enrollment pending, self-test recorded but not uploaded, exit 1', async () => {
    const out = await provision(dir);
    expect(out.code, out.stderr).toBe(1);
    expect(out.stdout).toContain('enrollment left pending');
    expect(out.stdout).toMatch(/✗ Tải lên trung tâm \/ uploaded to the hub \/ not enrolled/);
    expect(out.stdout).toMatch(/✓ Kiểm tra chứng cứ \/ evidence verified/);
    expect(out.stdout).toContain('report not sent');
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    expect(config.cameras[0].presetNames).toHaveLength(1);
    expect(config.audio.driver).toBe('tesira');
    expect(config.gateway.hubUrl).toBe(`ws://127.0.0.1:${hubPort}/api/v1/signal`);
  }, 300_000);

  it('hub back, a code given: the rerun does only the hub and the self-test again; the hub lists it commissioned', async () => {
    hub = await startHubProcess(1, { port: hubPort });
    const code = issueCode(hub.stateDir, ROOM);
    writeFileSync(join(dir, 'answers.json'), JSON.stringify({ ...answers, hub: { url: hub.url, code } }));
    const out = await provision(dir);
    expect(out.code, `${out.stdout}\n${out.stderr}`).toBe(0);
    for (const step of ['The box', 'Cameras', 'Audio DSP', 'Kiosk PIN']) expect(out.stdout).toContain(`${step}: done earlier`);
    expect(out.stdout).toMatch(/✓ Tải lên trung tâm \/ uploaded to the hub \/ \d+ receipts/);
    // Both self-tests archived: the one recorded while the hub was away too (declared once enrolled).
    const hearings = readdirSync(join(dir, 'recordings')).filter((d) => d.startsWith('local-'));
    expect(hearings).toHaveLength(2);
    for (const h of hearings) {
      const segments = readFileSync(join(dir, 'recordings', h, 'manifest.jsonl'), 'utf8').match(/"kind":"segment"/g)?.length ?? 0;
      const receipted = new Set(
        readFileSync(join(dir, 'recordings', h, 'receipts.jsonl'), 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l).file),
      );
      expect([...receipted].filter((f) => f.startsWith('seg-')).length, h).toBe(segments);
    }
    const list = await json<CommissioningListItem[]>(`${hub.url}/api/v1/fleet/commissioning`);
    expect(list.body).toEqual([expect.objectContaining({ room: ROOM, state: 'commissioned', checksFailed: 0 })]);
    passed = true;
  }, 300_000);
});
