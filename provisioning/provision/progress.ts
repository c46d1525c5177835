import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CommissioningCheck } from '../../common/contracts/commissioning.js';
import { writePrivateFile } from '../../common/storage/private-file.js';

// What the flow has done so far, in <paths.state>/commissioning/progress.json (0600: it keeps the
// commissioning API token until the self-test is over). A rerun skips the steps already passed and does
// the failed or unfinished ones again; the report is made from what is recorded here.

export const STEP_NAMES = ['box', 'cameras', 'dsp', 'hub', 'kiosk', 'install', 'self-test'] as const;
export type StepName = (typeof STEP_NAMES)[number];

export interface StepRecord {
  /** Every check passed (or was skipped by the technician): a rerun does not repeat it. */
  done: boolean;
  at: string;
  checks: CommissioningCheck[];
  /** What the report shows besides the checks (snapshots, meter trace, box figures). */
  data: Record<string, unknown>;
}

export interface ProgressDoc {
  startedAt: string;
  steps: Partial<Record<StepName, StepRecord>>;
  /** The technician API token the flow made for the self-test (its hash is in the config). */
  apiToken?: string;
}

export interface Progress {
  readonly dir: string;
  readonly doc: ProgressDoc;
  record(step: StepName, rec: Omit<StepRecord, 'at' | 'done'>): Promise<StepRecord>;
  save(): Promise<void>;
}

export async function openProgress(stateDir: string): Promise<Progress> {
  const dir = join(stateDir, 'commissioning');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, 'progress.json');
  const text = await readFile(file, 'utf8').catch(() => '');
  const doc: ProgressDoc = text ? (JSON.parse(text) as ProgressDoc) : { startedAt: new Date().toISOString(), steps: {} };
  const save = () => writePrivateFile(file, JSON.stringify(doc, null, 2));
  return {
    dir,
    doc,
    save,
    async record(step, rec) {
      const done = rec.checks.every((c) => c.result !== 'fail');
      const full = { ...rec, done, at: new Date().toISOString() };
      doc.steps[step] = full;
      await save();
      return full;
    },
  };
}

export const check = (step: StepName, name: string, ok: boolean | 'skipped', figure: string): CommissioningCheck => ({
  step,
  name,
  result: ok === 'skipped' ? 'skipped' : ok ? 'pass' : 'fail',
  figure: figure.slice(0, 500),
});
