import { bi, type Bi } from './i18n.js';
import type { Hearing, HealthReply } from './types.js';

// Pure: what the recording notice says. While the recorder has an alarm (disk full, write error) the
// room records nothing: the notice becomes a warning, and says whether the central point knows.

export type RecordingNotice = { kind: 'recording'; text: Bi } | { kind: 'alarm'; reason: string; text: Bi };

const WHAT: Record<string, Bi> = {
  'disk-full': bi('Ổ đĩa đầy', 'Disk full'),
  'write-error': bi('Lỗi ghi hình', 'Recording error'),
};

/** null: nothing to show (no hearing recording, no alarm). */
export function recordingNotice(h: HealthReply | null, hearing: Hearing | null): RecordingNotice | null {
  const rec = h?.recording;
  if (!rec) return null;
  if (rec.alarm) {
    const what = WHAT[rec.alarm.reason] ?? WHAT['write-error']!;
    // The alarm lasts until a segment is written again: with no hearing on, only the last attempt is known to have failed.
    const inSession = hearing !== null || rec.state === 'recording' || rec.state === 'waiting-for-worker';
    const subject = inSession
      ? bi('phiên này KHÔNG được ghi hình', 'this session is NOT being recorded')
      : bi('lần ghi hình gần nhất không thành công', 'the last recording failed');
    // Only what the daemon knows: the hub accepted a report carrying this alarm, or not yet. No fleet reports: say nothing.
    const told = !h.fleet
      ? null
      : h.fleet.recordingAlarmReportedAt
        ? bi('đã báo về trung tâm', 'the central point has been told')
        : bi('chưa báo được về trung tâm', 'the central point has not been told yet');
    const tail = (t: 'vi' | 'en') => (told ? ` — ${told[t]}` : '');
    return {
      kind: 'alarm',
      reason: rec.alarm.reason,
      text: bi(`${what.vi}: ${subject.vi}${tail('vi')}`, `${what.en}: ${subject.en}${tail('en')}`),
    };
  }
  if (rec.state === 'recording')
    return { kind: 'recording', text: bi('Phiên tiếp công dân đang được ghi hình', 'This session is being recorded') };
  return null;
}
