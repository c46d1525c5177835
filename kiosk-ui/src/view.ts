import { bi, formatClock, formatDateVi, formatElapsed, setBi } from './i18n.js';
import { recordingNotice } from './recording-notice.js';
import { backlogText, deriveBanner, networkText, type Observed } from './state.js';

// Writes what the page observed into the banner, the recording notice and the footer lines.

const $ = (id: string) => document.getElementById(id)!;
let recordingSince: { hearing: string | null; at: number } | null = null;
let lastHealth: Observed['health'] = null;

export function renderView(o: Observed, roomName: string) {
  const banner = deriveBanner(o);
  const el = $('banner');
  el.dataset.state = banner.state;
  setBi($('banner-title'), banner.title);
  const detail = $('banner-detail');
  detail.hidden = !banner.detail;
  if (!banner.detail) detail.replaceChildren(), delete detail.dataset.vi;
  else {
    if (banner.detail.vi === banner.detail.en) (detail.textContent = banner.detail.vi), delete detail.dataset.vi;
    else setBi(detail, banner.detail);
  }
  $('room-name').textContent = o.health?.room.name ?? roomName;
  document.body.dataset.state = banner.state;

  // The recording notice: whenever the room records, nothing hides it (it is outside every overlay);
  // a recording alarm (disk full) turns it into a warning that the session is NOT recorded.
  // The daemon not answering for a moment does not prove the recording stopped: keep the last word.
  if (o.health) lastHealth = o.health;
  const rec = lastHealth?.recording;
  const notice = recordingNotice(lastHealth, o.hearing);
  const noticeEl = $('recording-notice');
  noticeEl.hidden = !notice;
  if (notice?.kind === 'alarm') noticeEl.dataset.alarm = notice.reason;
  else delete noticeEl.dataset.alarm;
  if (notice) setBi($('recording-text'), notice.text);
  if (notice?.kind === 'recording' && rec) {
    const started = o.hearing ? Date.parse(o.hearing.startedAt) : NaN; // since the hearing started (recording ids may carry a room suffix)
    if (!recordingSince || recordingSince.hearing !== rec.hearing) recordingSince = { hearing: rec.hearing, at: Date.now() };
    $('recording-elapsed').textContent = formatElapsed(Date.now() - (Number.isFinite(started) ? started : recordingSince.at));
  } else recordingSince = null;

  const net = networkText(o.health);
  const network = $('network');
  network.dataset.level = net.level;
  const rtt = o.health?.gateway?.rttMs;
  network.title = rtt !== undefined ? `${rtt} ms` : '';
  setBi($('network-text'), net.text);

  const backlog = backlogText(o.health);
  $('backlog').hidden = !backlog;
  if (backlog) setBi($('backlog-text'), backlog);
  $('backlog').dataset.pending = String((o.health?.uploader?.backlogFiles ?? 0) > 0);

  const placeholder = $('officer-placeholder');
  setBi(
    placeholder,
    banner.state === 'idle'
      ? bi('Tiếp công dân trực tuyến', 'Online citizen reception')
      : bi('Cán bộ tiếp công dân sẽ xuất hiện ở đây', 'The receiving officer will appear here'),
  );
}

export function renderClock(now = new Date()) {
  $('clock').textContent = formatClock(now);
  $('date').textContent = formatDateVi(now);
}
