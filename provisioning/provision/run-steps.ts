import type { CommissioningState } from '../../common/contracts/commissioning.js';
import { AnswerError } from './asker.js';
import type { Ctx, Step } from './context.js';
import { check } from './progress.js';
import { allChecks, reportHtml } from './report-html.js';
import { sendReport } from './send-report.js';
import { boxStep } from './step-box.js';
import { camerasStep } from './step-cameras.js';
import { dspStep } from './step-dsp.js';
import { hubStep } from './step-hub.js';
import { installStep, kioskStep } from './step-kiosk-install.js';
import { selfTestStep } from './step-self-test.js';

// The steps in order. A step that passed before is not repeated (resumable); one that failed is done again.
// A failing step does not stop the others (an unreachable hub must not leave the cameras unconfigured);
// a step that throws is recorded as failed with its message.

const STEPS: Step[] = [boxStep, camerasStep, dspStep, hubStep, kioskStep, installStep, selfTestStep];

export async function runSteps(ctx: Ctx) {
  const { ask, progress } = ctx;
  for (const step of STEPS) {
    if (progress.doc.steps[step.name]?.done) {
      ask.say(`== ${step.vi}: đã xong lần trước`, `${step.en}: done earlier (--redo ${step.name} to do it again)`);
      continue;
    }
    ask.say(`== ${step.vi}`, step.en);
    const result = await step.run(ctx).catch((err: Error) => {
      if (err instanceof AnswerError) throw err; // a wrong answers file: stop and name it
      return { checks: [check(step.name, `${step.vi} / ${step.en}`, false, err.message)], data: {} };
    });
    for (const c of result.checks) ask.say(`  ${c.result === 'pass' ? '✓' : c.result === 'fail' ? '✗' : '–'} ${c.name}`, c.figure);
    await progress.record(step.name, { checks: result.checks, data: result.data ?? {} });
    // Once enrolled, the hub hears of the commissioning at once (the console shows it in progress), then the verdict.
    if (step.name === 'hub' && progress.doc.steps.hub?.done) await report(ctx, 'in-progress');
  }
  const failed = allChecks(progress.doc).filter((c) => c.result === 'fail').length;
  const state: CommissioningState = failed ? 'failed' : 'commissioned';
  return { state, failed, ...(await report(ctx, state)) };
}

/** The report as it stands, to the hub (when enrolled): its HTML and whether it was sent. */
async function report(ctx: Ctx, state: CommissioningState) {
  const config = await ctx.readConfig();
  const at = new Date().toISOString();
  const html = await reportHtml({ room: config.room, doc: ctx.progress.doc, state, at });
  const sent = await sendReport(ctx.stateDir, config.room.id, { state, at, checks: allChecks(ctx.progress.doc), html });
  return { html, sent };
}
