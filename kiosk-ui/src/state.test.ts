import { describe, expect, it } from 'vitest';
import { backlogText, deriveBanner, isOfficer, networkText, type Observed } from './state.js';
import { healthReply, media, recordingStatus, uploaderHealth } from './test/health-fixture.js';
import type { HealthReply } from './types.js';

const health = (over: Partial<HealthReply> = {}): HealthReply =>
  healthReply({
    media: media('primary'),
    gateway: { state: 'connected', since: '2026-01-01T00:00:00Z', rttMs: 40 },
    recording: recordingStatus(),
    uploader: uploaderHealth(),
    ...over,
  });
const hearing = { id: 'h1', title: 'Ông A — khiếu nại đất đai', source: 'hub' as const, startedAt: '2026-01-01T00:00:00Z' };
const base: Observed = { health: health(), hearing: null, bridgeUp: true, officerVideo: false };
const slate = media('slate');
const recordingNow = recordingStatus({ state: 'recording', hearing: 'h1', segments: 3, durationMs: 6000 });

describe('banner state', () => {
  it.each([
    ['idle', {}],
    ['waiting', { hearing }],
    ['in-hearing', { hearing, officerVideo: true }],
    ['idle', { officerVideo: true }], // an officer's picture without a hearing is not a hearing
    ['reconnecting', { health: null, hearing, officerVideo: true }],
    ['reconnecting', { health: health({ gateway: { state: 'reconnecting', since: '' } }), hearing, officerVideo: true }],
    ['reconnecting', { health: health({ gateway: { state: 'connecting', since: '' } }) }],
    ['reconnecting', { health: health({ gateway: { state: 'down', since: '' }, media: slate }) }], // link before camera
    ['reconnecting', { bridgeUp: false, hearing, officerVideo: true }],
    ['camera-unavailable', { health: health({ media: slate }), hearing, officerVideo: true }], // camera before hearing
    ['camera-unavailable', { health: health({ media: media('primary', 'offline', 2) }) }],
    ['in-hearing', { health: health({ media: media('backup') }), hearing, officerVideo: true }],
    ['waiting', { health: health({ gateway: undefined }), hearing }], // no gateway in health: the bridge decides
  ] as [string, Partial<Observed>][])('%s for %j', (state, over) => {
    expect(deriveBanner({ ...base, ...over }).state).toBe(state);
  });

  it('says the right words', () => {
    expect(deriveBanner(base).title).toEqual({ vi: 'Sẵn sàng', en: 'Ready' });
    expect(deriveBanner({ ...base, hearing, officerVideo: true }).detail?.vi).toBe(hearing.title);
    expect(deriveBanner({ ...base, health: null }).title.en).toBe('Reconnecting to the appliance…');
    const offline = deriveBanner({ ...base, health: health({ gateway: { state: 'down', since: '' }, recording: recordingNow }) });
    expect(offline.title.vi).toBe('Đang kết nối lại…');
    expect(offline.detail?.vi).toBe('Phòng vẫn đang ghi hình');
    expect(deriveBanner({ ...base, health: health({ gateway: { state: 'down', since: '' } }) }).detail).toBeNull();
  });
});

describe('network line', () => {
  it.each([
    [{ state: 'connected', rttMs: 40 }, 'good', 'Kết nối tốt'],
    [{ state: 'connected' }, 'good', 'Kết nối tốt'], // rttMs may be absent
    [{ state: 'connected', rttMs: 300 }, 'good', 'Kết nối tốt'],
    [{ state: 'connected', rttMs: 301 }, 'slow', 'Kết nối chậm'],
    [{ state: 'connecting' }, 'connecting', 'Đang kết nối với trung tâm…'],
    [{ state: 'failed' }, 'down', 'Mất kết nối với trung tâm'],
  ] as const)('%j → %s', (gateway, level, vi) => {
    const n = networkText(health({ gateway: { since: '', ...gateway } }));
    expect(n.level).toBe(level);
    expect(n.text.vi).toBe(vi);
  });

  it('says the room keeps recording only while it does', () => {
    const n = networkText(health({ gateway: { state: 'down', since: '' }, recording: recordingNow }));
    expect(n.text).toEqual({
      vi: 'Mất kết nối với trung tâm — phòng vẫn ghi hình',
      en: 'No link to the central point — the room keeps recording',
    });
    expect(networkText(null).level).toBe('unknown');
  });
});

describe('backlog line', () => {
  it('all forwarded, or count and size with Vietnamese decimals', () => {
    expect(backlogText(health())).toEqual({ vi: 'Tất cả bản ghi đã được gửi', en: 'All recordings forwarded' });
    expect(
      backlogText(health({ uploader: uploaderHealth({ state: 'waiting', backlogFiles: 3, backlogBytes: 12_400_000, oldestAgeS: 60 }) })),
    ).toEqual({
      vi: '3 đoạn ghi (12,4 MB) đang chờ gửi về trung tâm',
      en: '3 segments (12.4 MB) waiting to be forwarded',
    });
    expect(
      backlogText(health({ uploader: uploaderHealth({ state: 'waiting', backlogFiles: 1, backlogBytes: 950, oldestAgeS: 1 }) }))?.en,
    ).toBe('1 segment (950 B) waiting to be forwarded');
    expect(
      backlogText(
        health({ uploader: uploaderHealth({ state: 'waiting', backlogFiles: 1234, backlogBytes: 2_345_600_000, oldestAgeS: 1 }) }),
      )?.vi,
    ).toBe('1.234 đoạn ghi (2,3 GB) đang chờ gửi về trung tâm');
    expect(backlogText(health({ uploader: undefined }))).toBeNull();
  });
});

describe('who is an officer', () => {
  it('uses the hearing participants, else the hub id scheme', () => {
    const known = [
      { id: 'room-2', kind: 'room' as const, name: 'Phòng 2' },
      { id: 'cb-1', kind: 'officer' as const, name: 'Cán bộ' },
    ];
    expect(isOfficer('room-2', known)).toBe(false);
    expect(isOfficer('cb-1', known)).toBe(true);
    expect(isOfficer('officer-3', [])).toBe(true);
    expect(isOfficer('whip-1', [])).toBe(true);
    expect(isOfficer('room-9', [])).toBe(false);
  });
});
