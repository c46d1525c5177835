import { setTimeout as delay } from 'node:timers/promises';
import { basename } from 'node:path';
import type { SelfTestResult } from '../../../common/contracts/commissioning.js';
import { AppError } from '../../../common/errors.js';
import type { Logger } from '../../../common/log.js';
import type { Hearings } from '../hearings/create-hearings.js';
import type { RecorderStatus } from '../recorder/create-recorder.js';
import { awaitReceipts, declareSelfTest } from './await-receipts.js';
import { segmentList } from './segment-list.js';
import { verifyHearing } from './verify-hearing.js';

// The room's self-test: a short local hearing recorded as any hearing is, closed, verified with the evidence
// library and — when the room is enrolled — uploaded by the ordinary uploader until the hub's receipts are
// back. Called by the local API (`POST /api/v1/self-test`) and by whoever else holds the module (remote ops).

export interface SelfTestDeps {
  room: string;
  stateDir: string;
  hearings: Pick<Hearings, 'current' | 'startLocal' | 'endCurrent'>;
  recorder: { status(): RecorderStatus };
  publicKeyRaw: () => Buffer;
  logger: Logger;
}

export interface SelfTestOptions {
  /** Length of the test hearing (default 30 s). */
  seconds?: number;
  /** Longest wait for the hub's receipts after the hearing closed (default 300 s). */
  uploadWaitSeconds?: number;
}

export class SelfTestBusyError extends AppError {
  constructor(message: string) {
    super(message, 409, 'SELF_TEST_BUSY');
  }
}

export interface SelfTest {
  run(opts?: SelfTestOptions): Promise<SelfTestResult>;
  running(): boolean;
}

const CLOSE_WAIT_MS = 60_000;

export function createSelfTest(deps: SelfTestDeps): SelfTest {
  let busy = false;
  async function run(opts: SelfTestOptions = {}): Promise<SelfTestResult> {
    const seconds = opts.seconds ?? 30;
    if (busy) throw new SelfTestBusyError('đang tự kiểm tra / a self-test is already running');
    const current = deps.hearings.current();
    if (current) throw new SelfTestBusyError(`đang có phiên ${current.id} / hearing "${current.id}" is on: no self-test during a hearing`);
    busy = true;
    const problems: string[] = [];
    try {
      const hearing = await deps.hearings.startLocal('Tự kiểm tra / Self-test');
      const declared = await declareSelfTest(deps.stateDir, deps.room, hearing.id).catch((e: Error) => {
        problems.push(`trung tâm không nhận phiên tự kiểm tra / the hub refused the self-test hearing: ${e.message}`);
        return false;
      });
      deps.logger.info({ hearing: hearing.id, seconds, declared }, 'self-test: recording');
      await delay(seconds * 1000);
      const dir = deps.recorder.status().dir;
      await deps.hearings.endCurrent('self-test');
      const t0 = Date.now();
      let check = dir ? await verifyHearing(dir, deps.publicKeyRaw()) : undefined;
      while (dir && !check?.closed && Date.now() - t0 < CLOSE_WAIT_MS) {
        await delay(250); // the recorder appends `close` once the worker's last segment is entered
        check = await verifyHearing(dir, deps.publicKeyRaw());
      }
      if (!dir || !check) problems.push('không ghi được / nothing was recorded (recording disabled or no media worker)');
      else if (!check.ok) problems.push(check.problem!);
      let upload: SelfTestResult['upload'] = 'not-enrolled';
      let uploadSeconds: number | null = null;
      let receipts = 0;
      if (dir && check && declared) {
        const { entries } = await segmentList(dir);
        const got = await awaitReceipts({
          stateDir: deps.stateDir,
          dir,
          segments: entries,
          deadlineMs: (opts.uploadWaitSeconds ?? 300) * 1000,
        });
        if (got === null) {
          upload = 'timed-out';
          problems.push(`chưa nhận đủ biên nhận / not every segment was receipted within ${opts.uploadWaitSeconds ?? 300} s`);
        } else [upload, receipts, uploadSeconds] = ['receipted', got, (Date.now() - t0) / 1000];
      }
      const result: SelfTestResult = {
        ok: problems.length === 0,
        hearing: dir ? basename(dir) : hearing.id,
        seconds,
        segments: check?.segments ?? 0,
        bytes: check?.bytes ?? 0,
        verifyOk: check?.ok ?? false,
        verifyProblem: check?.problem ?? null,
        upload,
        uploadSeconds,
        receipts,
        problems,
      };
      deps.logger.info(result, 'self-test: done');
      return result;
    } finally {
      busy = false;
    }
  }
  return { run, running: () => busy };
}
