import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SelfTestResult } from '../../common/contracts/commissioning.js';
import { spawnReady, type ReadyChild } from '../../common/process/spawn-ready.js';
import { loadConfig } from '../../daemon/config/load-config.js';
import { hashToken } from '../../daemon/modules/access/access.js';
import { parse } from './asker.js';
import type { Ctx, Step } from './context.js';
import { check } from './progress.js';
import { handOver, serviceUser } from './service-user.js';

// The self-test runs in the room daemon (daemon/modules/self-test) through its local API, with a technician
// token the flow adds to the config (name "commissioning"). A daemon already running (installed units) is
// used; else the flow starts one for the test (`reception daemon --config FILE`) and stops it after.

const TOKEN_NAME = 'commissioning';

function cliPath(): string {
  const beside = fileURLToPath(new URL('../reception.js', import.meta.url));
  return existsSync(beside) ? beside : process.argv[1]!;
}

async function ensureToken(ctx: Ctx): Promise<string> {
  const config = await ctx.readConfig();
  const token = ctx.progress.doc.apiToken;
  if (token && config.access.tokens.some((t) => t.name === TOKEN_NAME && t.sha256 === hashToken(token))) return token;
  const fresh = randomBytes(24).toString('base64url');
  await ctx.editConfig((c) => {
    c.access.tokens = [
      ...c.access.tokens.filter((t) => t.name !== TOKEN_NAME),
      { name: TOKEN_NAME, role: 'technician', sha256: hashToken(fresh) },
    ];
  });
  ctx.progress.doc.apiToken = fresh;
  await ctx.progress.save();
  return fresh;
}

const answers = (url: string) =>
  fetch(`${url}/api/v1/health`, { signal: AbortSignal.timeout(2000) }).then(
    () => true,
    () => false,
  );

export const selfTestStep: Step = {
  name: 'self-test',
  vi: 'Tự kiểm tra',
  en: 'Self-test',
  async run(ctx) {
    const seconds = await ctx.ask.ask({
      key: 'selfTest.seconds',
      vi: 'Độ dài phiên thử (giây)',
      en: 'Test hearing length (seconds)',
      default: 30,
      parse: parse.number(3, 600),
    });
    const uploadWaitSeconds = await ctx.ask.ask({
      key: 'selfTest.uploadWaitSeconds',
      vi: 'Chờ biên nhận tối đa (giây)',
      en: 'Longest wait for receipts (seconds)',
      default: 300,
      parse: parse.number(5, 3600),
    });
    const token = await ensureToken(ctx);
    const config = await loadConfig(ctx.configFile); // as the daemon reads it: env overrides (RECEPTION_API_PORT…) included
    const url = `http://${config.api.host.includes(':') ? `[${config.api.host}]` : config.api.host}:${config.api.port}`;
    let daemon: ReadyChild<{ url: string }> | undefined;
    if (!(await answers(url))) {
      ctx.ask.say('Khởi động dịch vụ phòng để tự kiểm tra', 'starting the room daemon for the self-test');
      const owner = serviceUser();
      if (owner) await handOver([ctx.configFile, ctx.stateDir, resolve(config.paths.recordings)]);
      const cmd = [process.execPath, cliPath(), 'daemon', '--config', ctx.configFile];
      const [bin, ...args] = owner ? ['runuser', '-u', owner.name, '--', ...cmd] : cmd; // as the service will run
      daemon = await spawnReady<{ url: string }>(bin!, args, {
        logFile: join(ctx.progress.dir, 'self-test-daemon.log'),
        timeoutMs: 60_000,
      });
    }
    ctx.ask.say(`Đang ghi phiên thử ${seconds} giây…`, `recording a ${seconds} s test hearing…`);
    try {
      const res = await fetch(`${url}/api/v1/self-test`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ seconds, uploadWaitSeconds }),
        signal: AbortSignal.timeout((seconds + uploadWaitSeconds + 120) * 1000),
      });
      if (res.status === 401)
        throw new Error(
          'dịch vụ phòng chưa nạp mã mới: khởi động lại reception-daemon rồi chạy lại / the running daemon does not know the commissioning token yet: systemctl restart reception-daemon, then run reception provision again',
        );
      if (!res.ok) throw new Error(`daemon answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
      const r = (await res.json()) as SelfTestResult;
      return {
        checks: [
          check(
            'self-test',
            'Ghi phiên thử / test hearing recorded',
            r.segments > 0,
            `${r.segments} segments, ${(r.bytes / 1048576).toFixed(1)} MB in ${r.seconds} s (${r.hearing})`,
          ),
          check(
            'self-test',
            'Kiểm tra chứng cứ / evidence verified',
            r.verifyOk,
            r.verifyProblem ?? 'manifest chain, signatures and segment hashes intact',
          ),
          check(
            'self-test',
            'Tải lên trung tâm / uploaded to the hub',
            r.upload === 'receipted',
            r.upload === 'receipted'
              ? `${r.receipts} receipts, ${r.uploadSeconds?.toFixed(1)} s after the hearing closed`
              : r.upload === 'not-enrolled'
                ? 'not enrolled: nothing uploaded'
                : r.problems.join('; '),
          ),
        ],
        data: { result: r },
      };
    } finally {
      await daemon?.stop('SIGTERM', 20_000);
    }
  },
};
