// Benchmark (issue 15 target 4): time to picture, with real processes — `reception hub`, one simulated
// room (sims, daemon + GStreamer worker, werift gateway) and the system Chromium as the officer (console)
// and the room's kiosk page. Three intervals, each repeated:
//   leg:     a subscriber leg (the console's picture of the room, hub → Chromium) connected → its first
//            decoded frame (the hub asks the room for a keyframe when the leg is up);
//   join:    console "create and join" clicked → the officer's first decoded frame on the kiosk;
//   restart: gateway killed, started again → the officer's first decoded frame on the kiosk.
// The pages' RTCPeerConnections are watched from inside (an init script polls getStats every 15 ms), so
// each step has a timestamp: offer set, ICE connected, DTLS connected, first RTP, first decoded frame.
// Usage: npx tsc -p tsconfig.json && npx tsx bench/time-to-picture.ts [--reps 5] [--restarts 5] [--transcode]
//   [--compare DIR]: restarts alternate between this build and another one (DIR holds its dist/, a package.json
//   and node_modules, e.g. a copy of an older dist/): before/after figures of a gateway change from one run.
//   [--sync-compare]: 2 × reps joins, alternating: the simulated camera makes an IDR on SetSynchronizationPoint,
//   then answers it without one (control action onvif/sync-point, mode ignore: its GOP decides, as before).
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { launchBrowser, type Page } from '../tests/helpers/browser.js';
import { startHubProcess, startLinkedRoom } from '../tests/helpers/hub-process.js';
import { spawnReady, type ReadyChild } from '../common/process/spawn-ready.js';
import { CLI, percentile, requireBuild, round } from './lib/room.js';
import { PC_PROBE, type PcRecord, type WsRecord } from './lib/pc-probe.js';

const { values } = parseArgs({
  options: {
    reps: { type: 'string', default: '5' },
    restarts: { type: 'string', default: '5' },
    transcode: { type: 'boolean', default: false },
    compare: { type: 'string' },
    'sync-compare': { type: 'boolean', default: false },
  },
});
const reps = Number(values.reps);
const restarts = Number(values.restarts);
requireBuild();
const compareCli = values.compare ? resolve(values.compare, 'dist/provisioning/reception.js') : undefined;

const pcs = (page: Page): Promise<PcRecord[]> => page.evaluate(() => (window as unknown as { __ttp: PcRecord[] }).__ttp);

/** The kiosk's big officer picture: its first decoded frame, from a connection made after `since` (ms epoch). */
const kioskOfficerFrame = (kiosk: Page, since: number) =>
  kiosk
    .waitForFunction(
      (t) => {
        const v = document.querySelector('#officer figure.big video') as HTMLVideoElement | null;
        const id = (v?.srcObject as MediaStream | null)?.getVideoTracks()[0]?.id;
        const w = window as unknown as { __ttp: PcRecord[] };
        for (const pc of w.__ttp) if (pc.created >= t && id && pc.tracks[id]?.frame) return { pc, track: pc.tracks[id] };
        return null;
      },
      since,
      { polling: 50, timeout: 60_000 },
    )
    .then(async (h) => (await h.jsonValue())!); // waitForFunction resolves on a truthy value only

const banner = (kiosk: Page, state: string) =>
  kiosk.waitForFunction((s) => document.querySelector('#banner')?.getAttribute('data-state') === s, state, {
    polling: 50,
    timeout: 90_000,
  });

const fig = (xs: number[]) =>
  xs.length ? `median ${round(percentile(xs, 50), 0)} ms, max ${round(Math.max(...xs), 0)} ms (n=${xs.length})` : '–';
const steps = (pc: PcRecord, t0: number) =>
  Object.entries({ created: pc.created, offerSet: pc.offerSet, ice: pc.iceConnected, dtls: pc.connected })
    .map(([k, v]) => `${k} +${v ? v - t0 : '?'}`)
    .join(' ');

/** The restarted gateway's own log lines after `t0` (its start phases), as `message +ms`. */
const gatewayPhases = (t0: number) =>
  readFileSync(gatewayLog, 'utf8')
    .split('\n')
    .flatMap((l) => {
      try {
        const j = JSON.parse(l) as { time?: number; msg?: string; state?: string; ready?: boolean; startMs?: unknown };
        return j.time && j.time >= t0 ? [`${j.state ?? j.msg}${j.startMs ? ` ${JSON.stringify(j.startMs)}` : ''} +${j.time - t0}`] : [];
      } catch {
        return []; // not a log line
      }
    })
    .join(', ');

const load0 = loadavg();
const hub = await startHubProcess(1);
const room = await startLinkedRoom(hub, 1, { picture: true, loopbackRole: 'monitor' });
const gatewayLog = join(room.dir, 'gateway.log'); // where the helper's gateway logs (appended)
// --transcode: the worker encodes the camera (media.transcode 'always'), so a keyframe request is answered by
// our encoder; by default the simulated camera's H.264 passes through and its own 1 s GOP decides.
let daemon: ReadyChild<unknown> | undefined;
if (values.transcode) {
  await room.daemon.stop('SIGINT');
  const cfg = JSON.parse(readFileSync(room.configFile, 'utf8'));
  cfg.media = { ...cfg.media, transcode: 'always' };
  writeFileSync(room.configFile, JSON.stringify(cfg, null, 2), { mode: 0o600 });
  daemon = await spawnReady(process.execPath, [CLI, 'daemon', '--config', room.configFile], {
    logFile: join(room.dir, 'daemon-transcode.log'),
    env: room.env,
  });
}
/** How the simulated camera takes SetSynchronizationPoint: an IDR, or answered without one. */
const cameraSyncPoint = async (mode: 'idr' | 'ignore') => {
  const res = await fetch(`${room.sim.ready.control}/sims/onvif/sync-point`, { method: 'POST', body: JSON.stringify({ mode }) });
  if (!res.ok) throw new Error(`sync-point control: ${res.status} ${await res.text()}`);
};
const browser = await launchBrowser({ args: ['--autoplay-policy=no-user-gesture-required'] });
await browser.browser.addInitScript(PC_PROBE);
const out = { leg: [] as number[], legKiosk: [] as number[], join: [] as number[], joinBanner: [] as number[], restart: [] as number[] };
const restartCompare: number[] = [];
const legNoSync: number[] = []; // --sync-compare: the joins where the camera ignores the request
const joins = values['sync-compare'] ? 2 * reps : reps;
let other: ReadyChild<unknown> | undefined; // the --compare build's gateway, while it runs
try {
  const kiosk = await browser.newPage();
  await kiosk.setViewportSize({ width: 1280, height: 720 });
  await kiosk.goto(`${room.api}/kiosk/`);
  await banner(kiosk, 'idle');
  const officer = await browser.newPage();
  await officer.goto(`${hub.url}/console/?name=C%C3%A1n%20b%E1%BB%99%20Lan`);
  for (let i = 0; i < joins; i++) {
    const ignored = values['sync-compare'] && i % 2 === 1;
    if (values['sync-compare']) await cameraSyncPoint(ignored ? 'ignore' : 'idr');
    await officer.locator('#rooms tr[data-room="room-demo"] input[type=checkbox]').check({ timeout: 20_000 });
    await officer.fill('#title', `Phiên đo thời gian ${i + 1}`);
    const t0 = Date.now();
    await officer.click('#create-join');
    const k = await kioskOfficerFrame(kiosk, t0);
    out.join.push(k.track.frame! - t0);
    await banner(kiosk, 'in-hearing');
    out.joinBanner.push(Date.now() - t0);
    out.legKiosk.push(k.track.frame! - k.pc.connected!);
    // The console's picture of the room: a hub subscriber leg.
    await officer.waitForFunction(
      (t) => (window as unknown as { __ttp: PcRecord[] }).__ttp.some((p) => p.created >= t && Object.values(p.tracks).some((x) => x.frame)),
      t0,
      { polling: 50, timeout: 60_000 },
    );
    const sub = (await pcs(officer)).find((p) => p.created >= t0 && Object.values(p.tracks).some((x) => x.frame))!;
    const tr = Object.values(sub.tracks).find((x) => x.frame)!;
    (ignored ? legNoSync : out.leg).push(tr.frame! - sub.connected!);
    const pub = (await pcs(officer)).find((p) => p.created >= t0)!; // the console publishes first, then subscribes
    console.info(
      `join ${i + 1}${ignored ? ' (camera ignores the sync point)' : ''}: console pub ${steps(pub, t0)}; kiosk officer frame +${k.track.frame! - t0} ms (kiosk pc ${steps(k.pc, t0)} rtp +${k.track.rtp! - t0}; banner +${out.joinBanner.at(-1)}); ` +
        `console sub leg ${steps(sub, t0)} rtp +${tr.rtp! - t0} frame +${tr.frame! - t0} → leg ${tr.frame! - sub.connected!} ms, keyframes ${tr.keyframes}, pli ${tr.pli}`,
    );
    if (i < joins - 1) {
      await officer.click('#end');
      await banner(kiosk, 'idle');
    }
  }
  for (let i = 0; i < restarts; i++) {
    await (other ? other.stop('SIGKILL') : room.killGateway());
    other = undefined;
    await banner(kiosk, 'reconnecting');
    const useOther = compareCli !== undefined && i % 2 === 1;
    const t0 = Date.now();
    if (useOther)
      other = await spawnReady(process.execPath, [compareCli, 'gateway', '--config', room.configFile], {
        logFile: gatewayLog,
        env: room.env,
      });
    else await room.restartGateway();
    const ready = Date.now() - t0;
    const k = await kioskOfficerFrame(kiosk, t0);
    (useOther ? restartCompare : out.restart).push(k.track.frame! - t0);
    const bridge = (await kiosk.evaluate(() => (window as unknown as { __ws: WsRecord[] }).__ws)).find(
      (w) => w.url.includes('/kiosk/signal') && w.open && w.open >= t0,
    );
    await banner(kiosk, 'in-hearing');
    console.info(
      `restart ${i + 1}${useOther ? ' (--compare)' : ''}: gateway ${gatewayPhases(t0)}; ready +${ready} ms, bridge socket open +${bridge?.open ? bridge.open - t0 : '?'}, kiosk pc ${steps(k.pc, t0)} rtp +${k.track.rtp! - t0} officer frame +${k.track.frame! - t0} ms; banner +${Date.now() - t0}`,
    );
  }
} finally {
  await other?.stop('SIGINT');
  await browser.close();
  await daemon?.stop('SIGINT');
  await room.stop();
  await hub.stop();
  for (const d of [room.dir, hub.stateDir]) rmSync(d, { recursive: true, force: true }); // logs were there
}
const load1 = loadavg();
console.info(`\nload average ${load0.map((x) => x.toFixed(1)).join(' ')} → ${load1.map((x) => x.toFixed(1)).join(' ')}`);
console.info(`subscriber leg (console ← hub) connected → first frame: ${fig(out.leg)}`);
if (legNoSync.length) console.info(`  … alternating, the camera ignoring SetSynchronizationPoint (its GOP decides): ${fig(legNoSync)}`);
console.info(`kiosk leg (kiosk ← gateway) connected → officer first frame: ${fig(out.legKiosk)}`);
console.info(`create and join → officer's first frame on the kiosk: ${fig(out.join)} (banner "in hearing": ${fig(out.joinBanner)})`);
console.info(`gateway restarted → officer's first frame on the kiosk: ${fig(out.restart)}`);
if (compareCli) console.info(`  … with the --compare build (${values.compare}), alternating: ${fig(restartCompare)}`);
