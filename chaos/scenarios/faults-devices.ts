// Device faults (issue 12, part Q), through the simulators' control API (simulators/simulated-room.ts):
// the camera's power flapping every 3 s, its password changed, the DSP unplugged and back, rebooted and
// sent a configuration. The hearing must go on (the worker's input-selector puts the backup or the slate
// on air, so the viewer keeps frames), the room must say what is wrong, and come back by itself.
import { device, isDsp, isPrimaryCamera, roomHealth, seenWithin } from '../faults/room-checks.js';
import type { HealthReply } from '../../common/contracts/daemon-api/health.js';
import type { Scenario, ScenarioCheck, ScenarioContext } from '../scenario.js';

async function sim(ctx: ScenarioContext, path: string, body: unknown = {}): Promise<Record<string, unknown>> {
  const r = await ctx.sims(path, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  const j = (await r.json().catch(() => ({}))) as Record<string, unknown>;
  if (!r.ok) throw new Error(`sims ${path}: ${r.status} ${JSON.stringify(j)}`);
  return j;
}

const cameraFlap: Scenario = {
  name: 'camera-flap',
  title: 'Camera chập chờn (tắt/bật mỗi 3 s, 30 s) / camera power flapping every 3 s for 30 s',
  fast: true,
  async run(ctx) {
    const before = (await roomHealth(ctx))?.media?.source ?? null;
    const faultStart = ctx.mark('camera flap 3 s down / 3 s up');
    await sim(ctx, '/sims/onvif/flap', { downMs: 3000, upMs: 3000 });
    const checks: ScenarioCheck[] = [
      await seenWithin(ctx, 'room takes the camera off air ≤ 5 s', 5_000, async () => {
        const s = (await roomHealth(ctx))?.media?.source;
        return s !== undefined && s !== before && s;
      }),
    ];
    await ctx.hold(Math.max(0, 30_000 - (performance.now() - faultStart)));
    const stopped = await sim(ctx, '/sims/onvif/flap-stop');
    const faultEnd = ctx.mark(`camera steady (${JSON.stringify(stopped.result)})`);
    checks.push(
      await seenWithin(ctx, 'primary camera back on air ≤ 10 s', 10_000, async () => (await roomHealth(ctx))?.media?.source === before, {
        ceilingMs: 60_000,
      }),
    );
    // The stream never stops: backup or slate replaces the camera while it is off.
    return { faultStart, faultEnd, checks, expect: { minFpsDuring: 10 }, notes: [`on air before: ${before}`] };
  },
};

const cameraPassword: Scenario = {
  name: 'camera-password',
  title: 'Mật khẩu camera bị đổi rồi trả lại / camera password changed, then restored',
  async run(ctx) {
    const faultStart = ctx.mark('camera password changed');
    await sim(ctx, '/sims/onvif/password', { password: 'chaos-changed-password' });
    // The picture (RTSP) does not ask for the ONVIF password: the hearing's video goes on. PTZ control fails,
    // and the room must say so (health: the camera device with its error).
    const status = () => ctx.roomApi('/api/v1/cameras/cam1/status').then((r) => r.status);
    const checks: ScenarioCheck[] = [
      await seenWithin(
        ctx,
        'room names the refused camera login ≤ 10 s',
        10_000,
        async () => {
          await status().catch(() => 0); // an officer touches the PTZ: the driver talks to the camera
          const d = device(await roomHealth(ctx), isPrimaryCamera);
          return d && (d.health.state !== 'online' || /auth|password|mật khẩu|401|refused/i.test(d.health.lastError ?? '')) && d.health;
        },
        { ceilingMs: 60_000, everyMs: 1000 },
      ),
    ];
    await ctx.hold(Math.max(0, 15_000 - (performance.now() - faultStart)));
    await sim(ctx, '/sims/onvif/password', { password: await originalPassword(ctx) });
    const faultEnd = ctx.mark('camera password restored');
    // The driver holds refused credentials for credentialsHoldMs (60 s, so as not to lock the account): up to ~60 s.
    checks.push(
      await seenWithin(
        ctx,
        'camera control back after the password is restored ≤ 90 s',
        90_000,
        async () => (await status().catch(() => 0)) === 200 && device(await roomHealth(ctx), isPrimaryCamera)?.health.state === 'online',
        { ceilingMs: 120_000, everyMs: 2000 },
      ),
    );
    return { faultStart, faultEnd, checks, expect: { minFpsDuring: 15 } };
  },
};

/** The password the room's config gives the camera (what the simulator was started with). */
async function originalPassword(ctx: ScenarioContext): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const cfg = JSON.parse(await readFile(ctx.paths.roomConfig, 'utf8')) as { cameras?: { id: string; onvif?: { password?: string } }[] };
  const p = cfg.cameras?.find((c) => c.id === 'cam1')?.onvif?.password;
  if (!p) throw new Error(`no cam1 ONVIF password in ${ctx.paths.roomConfig}`);
  return p;
}

const dspUnplug: Scenario = {
  name: 'dsp-unplug',
  title: 'Rút cáp DSP rồi cắm lại; DSP khởi động lại; nạp cấu hình / DSP unplugged and back, rebooted, configuration pushed',
  async run(ctx) {
    const faultStart = ctx.mark('DSP unplugged');
    await sim(ctx, '/sims/tesira/unplug');
    const checks: ScenarioCheck[] = [
      await seenWithin(ctx, 'room shows the DSP lost ≤ 10 s', 10_000, async () => {
        const d = device(await roomHealth(ctx), isDsp);
        return d && d.health.state !== 'online' && d.health;
      }),
    ];
    await ctx.hold(Math.max(0, 15_000 - (performance.now() - faultStart)));
    await sim(ctx, '/sims/tesira/plug');
    ctx.mark('DSP plugged back');
    const online = async () => device(await roomHealth(ctx), isDsp)?.health.state === 'online';
    const metersOk = async () => {
      const m = (await roomHealth(ctx))?.meters;
      return m !== undefined && m.length > 0 && m.every((x) => x.state === 'ok');
    };
    checks.push(await seenWithin(ctx, 'DSP back after the cable ≤ 10 s', 10_000, online, { ceilingMs: 60_000 }));
    checks.push(await seenWithin(ctx, 'meters live again after the cable ≤ 15 s', 15_000, metersOk, { ceilingMs: 60_000 }));
    ctx.mark('DSP reboot (5 s deaf)');
    const rebootAt = performance.now();
    await sim(ctx, '/sims/tesira/reboot', { bootMs: 5000 });
    checks.push(await seenWithin(ctx, 'meters live again after a reboot ≤ 15 s', 15_000, metersOk, { ceilingMs: 60_000, from: rebootAt }));
    ctx.mark('DSP configuration pushed (subscriptions end silently)');
    const pushAt = performance.now();
    const renewedBefore = renewedCount(await roomHealth(ctx));
    await sim(ctx, '/sims/tesira/push-config');
    const pushedAtMs = Date.now();
    // Nothing says the subscriptions ended: the room must notice that the meters went quiet and subscribe again
    // (the driver renews a subscription found gone, counted in health's `renewed`), and readings flow again.
    checks.push(
      await seenWithin(
        ctx,
        'room renews the dropped meter subscriptions ≤ 15 s',
        15_000,
        async () => renewedCount(await roomHealth(ctx)) > renewedBefore,
        { ceilingMs: 30_000, from: pushAt },
      ),
    );
    const freshAfterPush = async () => {
      const m = (await roomHealth(ctx))?.meters;
      return !!m?.length && m.every((x) => x.state === 'ok' && Date.parse(x.lastAt ?? '') > pushedAtMs);
    };
    checks.push(
      await seenWithin(ctx, 'meters live again after a configuration push ≤ 20 s', 20_000, freshAfterPush, {
        ceilingMs: 60_000,
        from: pushAt,
      }),
    );
    const faultEnd = ctx.mark('DSP faults over');
    // The DSP controls levels and meters, not the media path: the viewer must not notice any of it.
    return { faultStart, faultEnd, checks, expect: { minFpsDuring: 15 } };
  },
};

const renewedCount = (h: HealthReply | undefined) => (h?.meters ?? []).reduce((n, m) => n + (m.renewed ?? 0), 0);

export const scenarios: Scenario[] = [cameraFlap, cameraPassword, dspUnplug];
