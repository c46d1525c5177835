import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { errorMessage } from '../../../common/errors.js';
import type { OpResult } from '../../../common/contracts/fleet-ops.js';
import { readWithHash, removeDurable, sha256, writeDurable } from './durable-file.js';

// A pushed config on trial. Beside the room's config file: `<file>.previous` (the last config that ran,
// written only when no trial is open, so a bad config never becomes "previous") and `<file>.trial.json`
// (the marker). Write order: previous, marker, new config — each durable. Rollback order: the previous
// config back first, then the marker's outcome: a power cut between the two leaves the old config in
// place and an open marker whose hash no longer matches, read as rolled back. A config that crashes the
// daemon at every start is caught by counting starts in the marker: it never costs the previous one.

export const MAX_STARTS = 3;
export const previousOf = (file: string) => `${file}.previous`;
const markerOf = (file: string) => `${file}.trial.json`;

export type Outcome = Pick<OpResult, 'state' | 'reason' | 'at'>;
export interface TrialMarker {
  op: string;
  startedAt: string;
  newSha: string;
  prevSha: string;
  /** Daemon starts on the new config so far. */
  starts: number;
  /** The gateway reads the changed sections too: it is restarted with the daemon. */
  gateway: boolean;
  outcome?: Outcome;
}

const readMarker = async (file: string): Promise<TrialMarker | null> =>
  existsSync(markerOf(file)) ? (JSON.parse(await readFile(markerOf(file), 'utf8')) as TrialMarker) : null;
const writeMarker = (file: string, m: TrialMarker) => writeDurable(markerOf(file), `${JSON.stringify(m, null, 2)}\n`);
const outcome = (state: Outcome['state'], reason: string): Outcome => ({ state, reason, at: new Date().toISOString() });

/** An open trial (no outcome yet), if any: a second push waits for it. */
export async function openTrial(file: string): Promise<TrialMarker | null> {
  const m = await readMarker(file);
  return m && !m.outcome ? m : null;
}

/** Puts `next` in place as a trial of op `op`; `current` is the config that runs now. */
export async function beginTrial(file: string, op: string, current: string, next: string, gateway: boolean): Promise<void> {
  if (await openTrial(file)) throw new Error('đang thử một cấu hình khác / another config is on trial');
  await writeDurable(previousOf(file), current);
  await writeMarker(file, { op, startedAt: new Date().toISOString(), newSha: sha256(next), prevSha: sha256(current), starts: 0, gateway });
  await writeDurable(file, next);
}

/** Ends the trial: on rollback the previous config goes back first; the outcome waits in the marker for the journal. */
export async function endTrial(file: string, marker: TrialMarker, result: Outcome): Promise<void> {
  if (result.state === 'rolled-back') {
    const prev = await readWithHash(previousOf(file));
    if (!prev || prev.sha256 !== marker.prevSha) throw new Error(`${previousOf(file)} is missing or not the config before the trial`);
    await writeDurable(file, prev.text);
  }
  await writeMarker(file, { ...marker, outcome: result });
}

/**
 * Before the daemon loads its config: an open trial is counted, and ended at once when the new config
 * does not load or the daemon has started on it MAX_STARTS times without a verdict (it crashed). Returns
 * the trial still to be judged (the daemon watches its health), if any.
 */
export async function preflight(file: string, load: (file: string) => Promise<unknown>): Promise<TrialMarker | null> {
  const m = await openTrial(file);
  if (!m) return null;
  const now = await readWithHash(file);
  if (now?.sha256 !== m.newSha) {
    // The new config is not there: never written (cut before the rename) or already rolled back (cut after).
    const why =
      now?.sha256 === m.prevSha
        ? 'cấu hình cũ đã được khôi phục / the previous config was already back in place (cut during the rollback)'
        : 'cấu hình mới không được ghi / the new config was never written (power cut?)';
    await writeMarker(file, { ...m, outcome: outcome(now?.sha256 === m.prevSha ? 'rolled-back' : 'failed', why) });
    return null;
  }
  const marker = { ...m, starts: m.starts + 1 };
  await writeMarker(file, marker);
  const refused = await load(file).then(
    () => null,
    (err: unknown) => errorMessage(err),
  );
  if (refused)
    await endTrial(file, marker, outcome('rolled-back', `cấu hình mới không nạp được / the new config does not load: ${refused}`));
  else if (marker.starts > MAX_STARTS)
    await endTrial(
      file,
      marker,
      outcome('rolled-back', `dịch vụ không khởi động được / the daemon did not come up on the new config (${m.starts} starts)`),
    );
  else return marker;
  return null;
}

/** The last trial's outcome, until clearOutcome (called once the journal holds it). */
export async function trialOutcome(file: string): Promise<(Outcome & { op: string; gateway: boolean }) | null> {
  const m = await readMarker(file);
  return m?.outcome ? { ...m.outcome, op: m.op, gateway: m.gateway } : null;
}
export const clearOutcome = (file: string) => removeDurable(markerOf(file));
