import type { SelfTestResult } from '../../../common/contracts/commissioning.js';
import type { OpResult } from '../../../common/contracts/fleet-ops.js';

// A self-test asked from the console: the room's own self-test (daemon/modules/self-test — a short local
// hearing recorded, verified with the evidence library, uploaded until the hub's receipts are back), its
// figures as the op's reason. Refused (busy, a hearing on) → failed with why.

export interface SelfTestRunner {
  run(opts: { seconds?: number }): Promise<SelfTestResult>;
}

export async function runSelftestOp(selfTest: SelfTestRunner | undefined, seconds: number): Promise<Pick<OpResult, 'state' | 'reason'>> {
  if (!selfTest) return { state: 'failed', reason: 'phòng không có chức năng tự kiểm tra / this daemon has no self-test' };
  const r = await selfTest.run({ seconds });
  const upload = r.upload === 'receipted' ? `${r.receipts} receipts in ${r.uploadSeconds ?? '?'} s` : r.upload;
  const figures = `hearing ${r.hearing}: ${r.seconds} s, ${r.segments} segments, ${r.bytes} bytes; verify ${r.verifyOk ? 'ok' : `FAILED (${r.verifyProblem})`}; upload ${upload}`;
  return r.ok
    ? { state: 'applied', reason: `tự kiểm tra đạt / self-test passed — ${figures}` }
    : { state: 'failed', reason: `tự kiểm tra không đạt / self-test failed: ${r.problems.join('; ')} — ${figures}` };
}
