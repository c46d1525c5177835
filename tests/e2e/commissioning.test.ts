import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommissioningListItem } from '../../common/contracts/commissioning.js';
import { launchBrowser } from '../helpers/browser.js';
import { startHubProcess } from '../helpers/hub-process.js';
import { issueCode, type ProvisionSim, provision, startProvisionRig } from '../helpers/provision-rig.js';
import { CLI, json } from '../helpers/room-processes.js';

// Issue 13, "done when": a simulated room commissioned from nothing with `reception provision --answers FILE`
// against a real hub process — the camera discovered (a wrong password tried first), two presets stored with
// snapshots, the Tesira found among two serial ports, the hub enrolled with a one-time code, the self-test
// recorded, verified and uploaded until receipted — and the hub's commissioning list shows it commissioned
// with its report. SCREENSHOTS=1 also renders that report to docs/screenshots/commissioning-report.png.

const ROOM = 'room-commissioned';

describe('reception provision --answers (e2e)', () => {
  let hub: Awaited<ReturnType<typeof startHubProcess>>;
  let sim: ProvisionSim;
  const dir = mkdtempSync(join(tmpdir(), 'provision-'));
  let out = { stdout: '', stderr: '', code: 0 };

  beforeAll(async () => {
    hub = await startHubProcess(1);
    const rig = await startProvisionRig(dir);
    sim = rig.sim;
    const code = issueCode(hub.stateDir, ROOM);
    spawnSync(process.execPath, [CLI, 'release', 'keygen', '--out', join(dir, 'release')]); // the central team's release key
    const answers = {
      room: { id: ROOM, name: 'Phòng tiếp dân xã thử' },
      config: rig.config,
      box: { minFreeMb: 500 },
      cameras: {
        targets: [rig.discoveryTarget],
        credentials: [
          { username: 'admin', password: 'not-this-one' },
          { username: 'admin', password: 'reception-sim' },
        ],
        presets: [
          { name: 'Công dân · Citizen', pan: 0.1, tilt: 0, zoom: 0.3 },
          { name: 'Toàn cảnh · Whole room', pan: -0.3, tilt: 0.1, zoom: 0 },
        ],
      },
      dsp: { ports: [sim.ready.visca.device, sim.ready.tesira.device], meterSeconds: 3 },
      hub: { url: hub.url, code },
      kiosk: { pin: '2468' },
      releaseKey: join(dir, 'release', 'release-public.pem'),
      selfTest: { seconds: 12, uploadWaitSeconds: 240 },
    };
    writeFileSync(join(dir, 'answers.json'), JSON.stringify(answers, null, 2));
    out = await provision(dir, 420_000);
  }, 480_000);

  afterAll(async () => {
    await sim?.stop('SIGINT');
    await hub?.stop('SIGINT');
    if (out.code === 0) rmSync(dir, { recursive: true, force: true }); // a failed run keeps its logs
  });

  it('commissions the room: exit 0, every check passed', () => {
    expect(out.code, `${out.stdout}\n${out.stderr}`).toBe(0);
    expect(out.stdout).toContain('VERDICT: COMMISSIONED');
    expect(out.stdout).toMatch(/refused the credentials of "admin"/); // the wrong password first
  });

  it('configures the camera with its presets and the DSP on the port that answered TTP', () => {
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    expect(config.cameras).toHaveLength(1);
    expect(config.cameras[0].driver).toBe('onvif');
    expect(config.cameras[0].onvif.password).toBe('reception-sim');
    expect(config.cameras[0].presetNames.map((p: { name: string }) => p.name)).toEqual(['Công dân · Citizen', 'Toàn cảnh · Whole room']);
    expect(config.audio).toMatchObject({ driver: 'tesira', path: sim.ready.tesira.device });
    expect(config.kiosk.pinHash).toMatch(/^scrypt\$/);
    // the release key the updater trusts, as the central team gave it
    expect(readFileSync(join(dir, 'state', 'keys', 'release-public.pem'), 'utf8')).toBe(
      readFileSync(join(dir, 'release', 'release-public.pem'), 'utf8'),
    );
  });

  it('recorded, verified and uploaded the self-test until every segment was receipted', () => {
    const progress = JSON.parse(readFileSync(join(dir, 'state', 'commissioning', 'progress.json'), 'utf8'));
    const r = progress.steps['self-test'].data.result;
    expect(r).toMatchObject({ ok: true, verifyOk: true, upload: 'receipted' });
    expect(r.segments).toBeGreaterThan(0);
    expect(r.receipts).toBe(r.segments);
  });

  it('resumes: a rerun skips what passed and does again only what is asked (--redo dsp)', async () => {
    const again = await provision(dir, 120_000, ['--redo', 'dsp']);
    expect(again.code, again.stderr).toBe(0);
    for (const step of ['The box', 'Cameras', 'The hub', 'Kiosk PIN', 'Self-test']) expect(again.stdout).toContain(`${step}: done earlier`);
    expect(again.stdout).not.toContain('Audio DSP: done earlier');
    expect(again.stdout).toMatch(/✓ Đồng hồ mức mic \/ meter mic/);
    expect(again.stdout).toContain('VERDICT: COMMISSIONED');
  });

  it('lists the room as commissioned at the hub, with its report', async () => {
    const list = await json<CommissioningListItem[]>(`${hub.url}/api/v1/fleet/commissioning`);
    const mine = list.body.find((i) => i.room === ROOM);
    expect(mine).toMatchObject({ state: 'commissioned', checksFailed: 0 });
    expect(mine!.checksPassed).toBeGreaterThan(15);
    const res = await fetch(`${hub.url}${mine!.reportUrl}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html.match(/src="data:image\/jpeg;base64,/g)).toHaveLength(2); // one snapshot per preset
    expect(html).toContain('<svg'); // the meter trace
    expect(html.indexOf('Biên bản nghiệm thu')).toBeLessThan(html.indexOf('Commissioning report'));
    if (process.env.SCREENSHOTS === '1') {
      const browser = await launchBrowser();
      try {
        const page = await browser.newPage();
        await page.setViewportSize({ width: 900, height: 1200 });
        await page.setContent(html);
        await page.screenshot({ path: 'docs/screenshots/commissioning-report.png', fullPage: true });
      } finally {
        await browser.close();
      }
    }
  });
});
