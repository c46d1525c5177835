import { bi, formatBytes, formatCount, type Bi } from './i18n.js';
import type { Hearing, HealthReply, Participant } from './types.js';

// Pure: what the banner, the network line and the backlog line say, from what the page last saw.

export const BANNER_STATES = ['idle', 'waiting', 'in-hearing', 'reconnecting', 'camera-unavailable'] as const;
export type BannerState = (typeof BANNER_STATES)[number];

export interface Observed {
  /** null: the daemon did not answer the last poll(s). */
  health: HealthReply | null;
  hearing: Hearing | null;
  /** The gateway's kiosk bridge (WebSocket + WebRTC to this page) is up. */
  bridgeUp: boolean;
  /** Frames are arriving from at least one remote officer. */
  officerVideo: boolean;
}

export interface Banner {
  state: BannerState;
  title: Bi;
  /** Second line: hearing title, recording note, reason. */
  detail: Bi | null;
}

/** Really recording: the recorder is on and no alarm says its writes fail. */
const recording = (h: HealthReply | null) => h?.recording?.state === 'recording' && !h.recording.alarm;

/**
 * Precedence, first match wins:
 *   1. reconnecting       — the daemon does not answer, the gateway is not connected to the hub, or the
 *                           kiosk bridge is down: nothing else on screen can be trusted to be live.
 *   2. camera-unavailable — the room's picture is the slate (or the media worker is not online): the
 *                           central point does not see the citizen, even if the link is fine.
 *   3. in-hearing         — a hearing is current and a remote officer's video is arriving.
 *   4. waiting            — a hearing is current, no officer video yet.
 *   5. idle               — no hearing.
 * A daemon without a gateway (no `gateway` in health) is judged by the bridge alone.
 */
export function deriveBanner(o: Observed): Banner {
  const h = o.health;
  if (!h) return { state: 'reconnecting', title: bi('Đang kết nối lại với thiết bị…', 'Reconnecting to the appliance…'), detail: null };
  const gatewayDown = h.gateway !== undefined && h.gateway.state !== 'connected';
  if (gatewayDown || !o.bridgeUp) {
    return {
      state: 'reconnecting',
      title: bi('Đang kết nối lại…', 'Reconnecting…'),
      detail: recording(h) ? bi('Phòng vẫn đang ghi hình', 'The room is still recording') : null,
    };
  }
  if (h.media && (h.media.source === 'slate' || h.media.source === null || h.media.health.state !== 'online')) {
    return {
      state: 'camera-unavailable',
      title: bi('Camera không khả dụng', 'Camera unavailable'),
      detail: bi('Đang tự động thử lại camera; phiên vẫn tiếp tục', 'Retrying the camera automatically; the session goes on'),
    };
  }
  if (o.hearing && o.officerVideo)
    return { state: 'in-hearing', title: bi('Đang tiếp công dân', 'Hearing in progress'), detail: bi(o.hearing.title, o.hearing.title) };
  if (o.hearing)
    return {
      state: 'waiting',
      title: bi('Đang chờ điểm tiếp công dân trung tâm…', 'Waiting for the central reception point…'),
      detail: bi(o.hearing.title, o.hearing.title),
    };
  return { state: 'idle', title: bi('Sẵn sàng', 'Ready'), detail: null };
}

export const SLOW_RTT_MS = 300;
export type NetworkLevel = 'good' | 'slow' | 'connecting' | 'down' | 'unknown';

/** The link to the central point in plain words. */
export function networkText(h: HealthReply | null): { level: NetworkLevel; text: Bi } {
  const g = h?.gateway;
  if (!h) return { level: 'unknown', text: bi('Không liên lạc được với thiết bị', 'The appliance does not answer') };
  if (!g) return { level: 'unknown', text: bi('Không có thông tin kết nối', 'No link information') };
  if (g.state === 'connected') {
    if (g.rttMs !== undefined && g.rttMs > SLOW_RTT_MS) return { level: 'slow', text: bi('Kết nối chậm', 'Slow connection') };
    return { level: 'good', text: bi('Kết nối tốt', 'Good connection') };
  }
  if (g.state === 'connecting') return { level: 'connecting', text: bi('Đang kết nối với trung tâm…', 'Connecting to the central point…') };
  const keeps = recording(h);
  return {
    level: 'down',
    text: keeps
      ? bi('Mất kết nối với trung tâm — phòng vẫn ghi hình', 'No link to the central point — the room keeps recording')
      : bi('Mất kết nối với trung tâm', 'No link to the central point'),
  };
}

/** Recordings still to forward; null when this daemon has no uploader, or when "all forwarded" would mislead (a recording alarm). */
export function backlogText(h: HealthReply | null): Bi | null {
  const u = h?.uploader;
  if (!u) return null;
  if (u.backlogFiles === 0) return h?.recording?.alarm ? null : bi('Tất cả bản ghi đã được gửi', 'All recordings forwarded');
  const size = formatBytes(u.backlogBytes);
  const n = formatCount(u.backlogFiles);
  return bi(
    `${n.vi} đoạn ghi (${size.vi}) đang chờ gửi về trung tâm`,
    `${n.en} ${u.backlogFiles === 1 ? 'segment' : 'segments'} (${size.en}) waiting to be forwarded`,
  );
}

/**
 * Is a remote participant one of the officers (the big picture) or another room (small grid)?
 * The hearing's participant list (gateway detail) says; without it, hub ids tell: rooms use their
 * room id, officers `officer-<n>`, WHIP publishers `whip-<n>`.
 */
export function isOfficer(participant: string, known: Participant[]): boolean {
  const p = known.find((x) => x.id === participant);
  if (p) return p.kind !== 'room';
  return /^(officer|whip)-/.test(participant);
}
