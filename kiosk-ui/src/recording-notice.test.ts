import { describe, expect, it } from 'vitest';
import { recordingNotice } from './recording-notice.js';
import { backlogText, deriveBanner, networkText } from './state.js';
import { fleetHealth, healthReply, recordingStatus, uploaderHealth } from './test/health-fixture.js';
import type { HealthReply } from './types.js';

// The recording notice while the disk is full: a warning, Vietnamese first, never "being recorded"
// or "all recordings forwarded" at the same time; "the central point has been told" only when it has.

const hearing = { id: 'h1', title: 'Ông A — khiếu nại', source: 'hub' as const, startedAt: '2026-01-01T00:00:00Z' };
const diskFull = { reason: 'disk-full', message: 'splitmuxsink: No space left on device', since: '2026-01-01T00:05:00Z' };
const health = (recording: Partial<NonNullable<HealthReply['recording']>>, over: Partial<HealthReply> = {}): HealthReply =>
  healthReply({
    status: recording.alarm ? 'degraded' : 'ok',
    gateway: { state: 'connected', since: '' },
    recording: recordingStatus({ state: 'recording', hearing: 'h1.room-1', segments: 3, durationMs: 6000, ...recording }),
    uploader: uploaderHealth(),
    fleet: fleetHealth(),
    ...over,
  });

describe('recording notice', () => {
  it('recording: the usual notice', () => {
    expect(recordingNotice(health({}), hearing)).toEqual({
      kind: 'recording',
      text: { vi: 'Phiên tiếp công dân đang được ghi hình', en: 'This session is being recorded' },
    });
    expect(recordingNotice(health({ state: 'idle', hearing: null }), null)).toBeNull();
    expect(recordingNotice(null, hearing)).toBeNull();
  });

  it('disk full: NOT recorded, and whether the central point has been told', () => {
    const told = health({ alarm: diskFull }, { fleet: fleetHealth({ recordingAlarmReportedAt: '2026-01-01T00:05:00.2Z' }) });
    expect(recordingNotice(told, hearing)).toEqual({
      kind: 'alarm',
      reason: 'disk-full',
      text: {
        vi: 'Ổ đĩa đầy: phiên này KHÔNG được ghi hình — đã báo về trung tâm',
        en: 'Disk full: this session is NOT being recorded — the central point has been told',
      },
    });
    expect(recordingNotice(health({ alarm: diskFull }), hearing)?.text).toEqual({
      vi: 'Ổ đĩa đầy: phiên này KHÔNG được ghi hình — chưa báo được về trung tâm',
      en: 'Disk full: this session is NOT being recorded — the central point has not been told yet',
    });
    // No fleet reports on this daemon: nothing said about the central point.
    expect(recordingNotice(health({ alarm: diskFull }, { fleet: undefined }), hearing)?.text.vi).toBe(
      'Ổ đĩa đầy: phiên này KHÔNG được ghi hình',
    );
    // The hearing could not even open its recording (disk full): still this session.
    expect(recordingNotice(health({ state: 'idle', hearing: null, alarm: diskFull }, { fleet: undefined }), hearing)?.text.en).toBe(
      'Disk full: this session is NOT being recorded',
    );
    // No hearing on: only the last attempt is known to have failed.
    expect(recordingNotice(health({ state: 'idle', hearing: null, alarm: diskFull }, { fleet: undefined }), null)?.text).toEqual({
      vi: 'Ổ đĩa đầy: lần ghi hình gần nhất không thành công',
      en: 'Disk full: the last recording failed',
    });
  });

  it('write error: its own words', () => {
    const n = recordingNotice(
      health({ alarm: { ...diskFull, reason: 'write-error', message: 'filesink: Input/output error' } }, { fleet: undefined }),
      hearing,
    );
    expect(n).toMatchObject({
      kind: 'alarm',
      reason: 'write-error',
      text: { vi: 'Lỗi ghi hình: phiên này KHÔNG được ghi hình', en: 'Recording error: this session is NOT being recorded' },
    });
  });

  it('no "all recordings forwarded", no "the room keeps recording" while it does not', () => {
    const h = health({ alarm: diskFull }, { gateway: { state: 'down', since: '' } });
    expect(backlogText(health({ alarm: diskFull }))).toBeNull();
    expect(
      backlogText(
        health(
          { alarm: diskFull },
          { uploader: uploaderHealth({ state: 'waiting', backlogFiles: 2, backlogBytes: 2_000_000, oldestAgeS: 5 }) },
        ),
      )?.vi,
    ).toBe('2 đoạn ghi (2,0 MB) đang chờ gửi về trung tâm');
    expect(networkText(h).text.vi).toBe('Mất kết nối với trung tâm');
    expect(deriveBanner({ health: h, hearing, bridgeUp: true, officerVideo: false }).detail).toBeNull();
  });
});
