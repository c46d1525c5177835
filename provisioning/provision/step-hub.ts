import { readEnrollment, signalUrlOf } from '../../common/contracts/enrollment-file.js';
import { SIGNAL_PATH } from '../../common/contracts/signaling/messages.js';
import { normalizeCode } from '../../common/contracts/enrollment.js';
import { baseFromSignalUrl, openHubLink } from '../../common/enrollment/hub-link.js';
import { createRootLogger } from '../../common/log.js';
import { CLOCK_ALARM_MS } from '../../common/contracts/clock.js';
import { declareSelfTest } from '../../daemon/modules/self-test/await-receipts.js';
import { EnrollError, enrollBox } from '../../daemon/modules/enrollment/enroll-box.js';
import { writePendingEnrollment } from '../../daemon/modules/enrollment/pending-enrollment.js';
import { parse } from './asker.js';
import type { Step } from './context.js';
import { measureClock, measureUpload } from './hub-measure.js';
import { check } from './progress.js';

// The hub: reachable (its public clock), the wall-clock offset, enrollment with the technician's one-time
// code (the `reception enroll` flow, enroll-box.ts), then the upload bandwidth with the new credential.
// An unreachable hub fails this step only: the rest of the room is configured, the enrollment stays pending
// and a rerun of `reception provision` picks it up.

const parseUrl = (v: unknown) => {
  const u = new URL(String(v).trim());
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('https://… (or http:// on loopback)');
  return u.origin;
};

const parseCode = (v: unknown) => {
  if (!normalizeCode(String(v))) throw new Error('XXXX-XXXX-XXXX-XXXX');
  return String(v).trim();
};

export const hubStep: Step = {
  name: 'hub',
  vi: 'Trung tâm',
  en: 'The hub',
  async run(ctx) {
    const config = await ctx.readConfig();
    // A rerun (or a config prepared beforehand) offers the hub already configured; the built-in loopback one is no default.
    const configured = baseFromSignalUrl(config.gateway.hubUrl);
    const offered = /^https?:\/\/(127\.|localhost|\[::1\])/.test(configured) ? undefined : configured;
    const hubUrl = await ctx.ask.ask({ key: 'hub.url', vi: 'Địa chỉ trung tâm', en: 'Hub URL', default: offered, parse: parseUrl });
    await ctx.editConfig((c) => {
      c.gateway.hubUrl = signalUrlOf(hubUrl, SIGNAL_PATH);
    });
    const clock = await measureClock(hubUrl).catch((e: Error) => e);
    if (clock instanceof Error) {
      const why = String((clock as { cause?: Error }).cause?.message ?? clock.message);
      ctx.ask.say(
        `Không tới được trung tâm ${hubUrl} (${why}): phần còn lại vẫn được cấu hình, ghi danh để sau`,
        `hub ${hubUrl} unreachable (${why}): everything else is configured, enrollment left pending — run reception provision again`,
      );
      // With the code, the daemon enrolls by itself once the hub answers (daemon/modules/enrollment); without, a rerun does.
      const code = await ctx.ask.ask({
        key: 'hub.code',
        vi: 'Mã ghi danh dùng một lần (để trống: ghi danh sau)',
        en: 'One-time enrollment code (empty: enroll later)',
        default: '',
        parse: (v) => (String(v).trim() === '' ? '' : parseCode(v)),
      });
      if (code) await writePendingEnrollment(ctx.stateDir, { hubUrl, code, room: config.room.id, since: new Date().toISOString() });
      return {
        checks: [
          check('hub', 'Kết nối trung tâm / hub reachable', false, `${hubUrl}: ${why}`),
          check(
            'hub',
            'Ghi danh / enrollment',
            false,
            code
              ? 'chờ / pending: the daemon enrolls with the code once the hub answers (kept 0600 until then)'
              : 'chờ / pending: hub unreachable, run reception provision again',
          ),
        ],
        data: { hubUrl, pending: true },
      };
    }
    const checks = [
      check('hub', 'Kết nối trung tâm / hub reachable', true, `${hubUrl}, round trip ${clock.rttMs} ms`),
      check(
        'hub',
        'Lệch đồng hồ / clock offset to the hub',
        Math.abs(clock.offsetMs) <= CLOCK_ALARM_MS,
        `${clock.offsetMs} ms ± ${Math.ceil(clock.rttMs / 2)} ms (best of ${clock.samples})`,
      ),
    ];
    const room = config.room.id;
    const have = await readEnrollment(ctx.stateDir).catch(() => undefined);
    if (have && have.hubUrl === hubUrl && have.room === room)
      checks.push(check('hub', 'Ghi danh / enrollment', true, `already enrolled (key ${have.fingerprint.slice(0, 16)}…)`));
    else {
      const code = await ctx.ask.ask({
        key: 'hub.code',
        vi: 'Mã ghi danh dùng một lần',
        en: 'One-time enrollment code',
        parse: parseCode,
      });
      try {
        const { enrollment } = await enrollBox({
          hubUrl,
          code,
          room,
          stateDir: ctx.stateDir,
          logger: createRootLogger('enroll', 'error', process.stderr),
        });
        checks.push(check('hub', 'Ghi danh / enrollment', true, `room ${enrollment.room}, key ${enrollment.fingerprint.slice(0, 16)}…`));
      } catch (err) {
        if (!(err instanceof EnrollError)) throw err;
        checks.push(check('hub', 'Ghi danh / enrollment', false, `${err.code ? `${err.code}: ` : ''}${err.message}`));
        return { checks, data: { hubUrl, clock } };
      }
    }
    // Self-tests recorded while the hub was away become uploadable now (daemon/modules/self-test).
    await declareSelfTest(ctx.stateDir, room).catch((e: Error) =>
      ctx.ask.say(`Chưa khai báo được các lần tự kiểm tra trước: ${e.message}`, `earlier self-tests not declared: ${e.message}`),
    );
    const mb = await ctx.ask.ask({
      key: 'hub.bandwidthMb',
      vi: 'Dữ liệu đo băng thông (MB)',
      en: 'Bandwidth probe size (MB)',
      default: 2,
      parse: parse.number(0.1, 8),
    });
    const link = await openHubLink(ctx.stateDir, { hubUrl });
    const bw = await measureUpload(link, room, Math.round(mb * 1048576))
      .catch((e: Error) => e)
      .finally(() => link.close());
    const need = await ctx.ask.ask({
      key: 'hub.minUploadMbps',
      vi: 'Băng thông tải lên tối thiểu (Mbit/s)',
      en: 'Least upload bandwidth (Mbit/s)',
      default: 2,
      parse: parse.number(0, 10_000),
    });
    checks.push(
      check(
        'hub',
        'Băng thông tải lên / upload bandwidth',
        !(bw instanceof Error) && bw.mbps >= need,
        bw instanceof Error
          ? bw.message
          : `${bw.mbps} Mbit/s (${(bw.bytes / 1048576).toFixed(1)} MB in ${bw.ms} ms; a hearing needs ≥ ${need} Mbit/s)`,
      ),
    );
    return { checks, data: { hubUrl, clock, bandwidth: bw instanceof Error ? null : bw } };
  },
};
