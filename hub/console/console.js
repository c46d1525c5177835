// Officers' console: rooms online, create a hearing, join it (camera + microphone up through the
// hub's signaling WebSocket, one subscribe connection per other participant down). Plain ES module,
// no build step, no CDN: it must work on an isolated network.

import { $, api, params, say } from './console-api.js';
import { closeBook, openBook } from './console-book.js';
import { healthCell, showCallAlarms } from './console-health.js';
import { participantPaths, participantsLine } from './console-path.js';
import { refreshRegistry, registryState } from './console-registry-view.js';
import { reconnectDelayMs } from './console-retry.js';

// ---- lobby ------------------------------------------------------------------------------------
async function refresh() {
  try {
    const [rooms, hearings] = await Promise.all([api('GET', '/rooms'), api('GET', '/hearings'), refreshRegistry()]);
    const checked = new Set([...document.querySelectorAll('#rooms input:checked')].map((i) => i.value));
    $('#rooms tbody').replaceChildren(
      ...rooms.map((r) => {
        const tr = document.createElement('tr');
        tr.dataset.room = r.id;
        const revoked = registryState(r.id) === 'revoked'; // known to those who may read the registry
        const state = revoked
          ? ['revoked', 'Đã thu hồi / Revoked']
          : r.online
            ? ['online', 'Trực tuyến / Online']
            : ['offline', 'Ngoại tuyến / Offline'];
        tr.innerHTML = `<td><input type="checkbox" value="${r.id}" ${r.hearing || revoked ? 'disabled' : ''}></td><td></td><td class="${state[0]}">${state[1]}</td><td class="health"></td><td>${r.hearing ?? '—'}</td>`;
        tr.children[1].textContent = `${r.name} (${r.id})`;
        healthCell(tr.querySelector('td.health'), r.health);
        tr.querySelector('input').checked = checked.has(r.id) && !r.hearing;
        return tr;
      }),
    );
    $('#hearings').replaceChildren(
      ...hearings
        .filter((h) => h.state === 'active')
        .map((h) => {
          const li = document.createElement('li');
          li.dataset.hearing = h.id;
          li.innerHTML = `<span></span><button class="join" type="button">Tham gia / Join</button><button class="end" type="button">Kết thúc / End</button>`;
          li.firstChild.textContent = `${h.title} — ${h.rooms.join(', ') || 'chưa có phòng / no room'} (${h.participants.length} đang kết nối / connected)`;
          li.querySelector('.join').onclick = () => join(h);
          li.querySelector('.end').onclick = () => api('POST', `/hearings/${h.id}/end`).then(refresh, (e) => say(e.message));
          return li;
        }),
    );
  } catch (err) {
    say(`Không tải được danh sách / Cannot load: ${err.message}`);
  }
}

$('#create').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const rooms = [...document.querySelectorAll('#rooms input:checked')].map((i) => i.value);
  try {
    const hearing = await api('POST', '/hearings', { title: $('#title').value, rooms });
    await join(hearing);
  } catch (err) {
    say(`Không tạo được phiên / Cannot create the hearing: ${err.message}`);
  }
});

// ---- the call ---------------------------------------------------------------------------------
let call = null;

function tile(id, name, local = false) {
  let fig = document.querySelector(`figure[data-participant="${CSS.escape(id)}"]`);
  if (!fig) {
    fig = document.createElement('figure');
    fig.dataset.participant = id;
    fig.innerHTML = '<video autoplay playsinline></video><figcaption></figcaption>';
    fig.querySelector('video').dataset.participant = id;
    fig.querySelector('video').muted = local; // never hear yourself
    $('#grid').append(fig);
  }
  fig.querySelector('figcaption').textContent = local ? `${name} (tôi / me)` : name;
  return fig.querySelector('video');
}

const iceDone = (pc) =>
  new Promise((resolve) => {
    if (pc.iceGatheringState === 'complete') return resolve();
    pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve());
    setTimeout(resolve, 3000); // complete SDP is the protocol; a slow gatherer sends what it has
  });

/** Prefer H.264 constrained-baseline packetization-mode 1: the one every room and browser decodes. */
function preferBaseline(transceiver) {
  const caps = RTCRtpSender.getCapabilities?.('video')?.codecs ?? [];
  const h264 = caps.filter(
    (c) =>
      c.mimeType === 'video/H264' &&
      /packetization-mode=1/.test(c.sdpFmtpLine ?? '') &&
      /profile-level-id=42e01f/.test(c.sdpFmtpLine ?? ''),
  );
  if (h264.length && transceiver.setCodecPreferences)
    transceiver.setCodecPreferences([...h264, ...caps.filter((c) => /rtx|red|ulpfec/.test(c.mimeType))]);
}

async function join(hearing) {
  if (call) leave();
  const name = $('#officer-name').value || 'Cán bộ';
  let stream = null;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 360 }, audio: true });
  } catch (err) {
    say(`Không mở được camera/micro, chỉ xem / No camera or microphone, watching only: ${err.message}`);
  }
  call = { hearing, name, stream, ws: null, pub: null, subs: new Map(), left: false, fatal: false, retries: 0 };
  $('#lobby').hidden = true;
  $('#call').hidden = false;
  $('#call-title').textContent = hearing.title;
  $('#call-alarms').hidden = true;
  void refreshCallAlarms();
  if (stream) tile('me', name, true).srcObject = stream;
  connect(call);
  openBook(hearing, name);
}

function connect(c) {
  // The session cookie goes with the upgrade (same origin): no credential in the URL. The hearing is in it so a
  // hub of several nodes sends the socket to the node holding the hearing's media (hub/cluster).
  const ws = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/api/v1/signal?hearing=${encodeURIComponent(c.hearing.id)}`);
  c.ws = ws;
  const send = (msg) => ws.readyState === WebSocket.OPEN && ws.send(JSON.stringify(msg));
  ws.onopen = () => send({ type: 'hello', protocol: 1, kind: 'officer', id: c.name.slice(0, 64), name: c.name, hearing: c.hearing.id });
  ws.onmessage = async (ev) => {
    const msg = JSON.parse(ev.data);
    try {
      await handle(c, msg, send);
    } catch (err) {
      console.error('signaling', msg.type, err);
    }
  };
  ws.onclose = () => {
    closePeers(c);
    if (c.left || c.fatal || call !== c) return;
    $('#call-state').textContent = 'Mất kết nối, đang kết nối lại… / Connection lost, reconnecting…';
    setTimeout(() => call === c && !c.left && connect(c), reconnectDelayMs(c.retries++));
  };
}

async function handle(c, msg, send) {
  switch (msg.type) {
    case 'ice-servers': // STUN/TURN with short-lived credentials (hub/turn): behind a UDP-blocking firewall, TURN/TCP or TLS
      c.iceServers = msg.iceServers;
      break;
    case 'welcome':
      c.retries = 0;
      $('#call-state').textContent = 'Đã kết nối / Connected';
      showParticipants((c.info = msg.hearing));
      if (c.stream) await publish(c, send);
      break;
    case 'publish-answer':
      await c.pub?.setRemoteDescription({ type: 'answer', sdp: msg.sdp });
      break;
    case 'subscribe-offer':
      await subscribe(c, msg, send);
      break;
    case 'unsubscribe': {
      const sub = c.subs.get(msg.sid);
      c.subs.delete(msg.sid);
      sub?.pc.close();
      if (sub && ![...c.subs.values()].some((s) => s.publisher === sub.publisher))
        document.querySelector(`figure[data-participant="${CSS.escape(sub.publisher)}"]`)?.remove();
      break;
    }
    case 'hearing':
      showParticipants((c.info = msg.hearing));
      if (!msg.hearing) $('#call-state').textContent = 'Phiên đã kết thúc / The hearing has ended';
      break;
    case 'error':
      if (msg.code === 'MOVED') {
        // hub/cluster: the hearing is now held by another node — reconnect at once, the hub routes us there
        $('#call-state').textContent = 'Đang chuyển sang máy chủ khác… / Moving to another hub node…';
        c.retries = 0;
        c.ws?.close();
        break;
      }
      say(`${msg.code}: ${msg.message}`);
      if (msg.fatal) c.fatal = true;
      break;
  }
}

async function publish(c, send) {
  const pc = new RTCPeerConnection({ iceServers: c.iceServers ?? [] });
  for (const track of c.stream.getTracks()) {
    const t = pc.addTransceiver(track, { direction: 'sendonly', streams: [c.stream] });
    if (track.kind === 'video') preferBaseline(t);
  }
  c.pub = pc;
  await pc.setLocalDescription(await pc.createOffer());
  await iceDone(pc);
  send({ type: 'publish-offer', sdp: pc.localDescription.sdp });
}

async function subscribe(c, msg, send) {
  c.subs.get(msg.sid)?.pc.close(); // a resubscription reuses the sid
  const pc = new RTCPeerConnection({ iceServers: c.iceServers ?? [] });
  const media = new MediaStream();
  c.subs.set(msg.sid, { pc, publisher: msg.publisher.id, since: Date.now(), frames: 0, framesAt: Date.now() });
  const video = tile(msg.publisher.id, msg.publisher.name);
  pc.ontrack = (ev) => {
    media.addTrack(ev.track);
    video.srcObject = media;
    video.play().catch(() => {
      video.muted = true; // autoplay policy: show the picture at least
      video.play().catch(() => {});
    });
  };
  pc.onconnectionstatechange = () =>
    pc.connectionState === 'failed' && c.subs.get(msg.sid)?.pc === pc && send({ type: 'resubscribe', sid: msg.sid });
  await pc.setRemoteDescription({ type: 'offer', sdp: msg.sdp });
  await pc.setLocalDescription(await pc.createAnswer());
  await iceDone(pc);
  send({ type: 'subscribe-answer', sid: msg.sid, sdp: pc.localDescription.sdp });
}

// A subscription whose picture stopped (or never started) for STALL_MS is asked again: the hub
// builds a fresh connection. A browser that silently lost its decoder state recovers without a reload.
const STALL_MS = 12_000;
setInterval(() => {
  if (!call?.ws || call.ws.readyState !== WebSocket.OPEN) return;
  for (const [sid, s] of call.subs) {
    const video = document.querySelector(`video[data-participant="${CSS.escape(s.publisher)}"]`);
    if (!video?.srcObject?.getVideoTracks().length) continue; // audio-only participant: nothing to watch
    const frames = video.getVideoPlaybackQuality?.().totalVideoFrames ?? 0;
    if (frames !== s.frames) Object.assign(s, { frames, framesAt: Date.now() });
    else if (Date.now() - s.framesAt > STALL_MS) {
      s.framesAt = Date.now(); // once per stall period
      console.warn(`no picture from ${s.publisher} for ${STALL_MS / 1000} s: resubscribing`);
      call.ws.send(JSON.stringify({ type: 'resubscribe', sid }));
    }
  }
}, 2000);

function showParticipants(hearing) {
  $('#participants').textContent = hearing
    ? `Tham dự / Participants: ${participantsLine(hearing.participants, call?.paths ?? new Map())}`
    : '';
}

function closePeers(c) {
  c.pub?.close();
  c.pub = null;
  for (const s of c.subs.values()) s.pc.close();
  c.subs.clear();
}

function leave() {
  if (!call) return;
  call.left = true;
  call.ws?.close();
  closePeers(call);
  call.stream?.getTracks().forEach((t) => t.stop());
  call = null;
  closeBook();
  $('#grid').replaceChildren();
  $('#call').hidden = true;
  $('#lobby').hidden = false;
  refresh();
}

$('#leave').onclick = leave;
$('#end').onclick = async () => {
  const id = call?.hearing.id;
  leave();
  if (id) await api('POST', `/hearings/${id}/end`).catch((e) => say(e.message));
  refresh();
};

// In a hearing, the rooms' recording alarms (disk full: the hearing is NOT being recorded) stay in view.
async function refreshCallAlarms() {
  const c = call;
  if (!c) return;
  try {
    const [rooms, stats] = await Promise.all([api('GET', '/rooms'), api('GET', `/hearings/${c.hearing.id}/stats`)]);
    if (call !== c) return;
    showCallAlarms($('#call-alarms'), rooms, c.hearing.rooms ?? []);
    c.paths = participantPaths(stats, rooms); // direct UDP or through TURN, each participant (console-path.js)
    showParticipants(c.info);
  } catch {
    /* the next period tries again */
  }
}

refresh();
setInterval(() => (call ? refreshCallAlarms() : refresh()), 5000);
if (params.get('name')) $('#officer-name').value = params.get('name');
if (params.get('join')) api('GET', `/hearings/${encodeURIComponent(params.get('join'))}`).then(join, (e) => say(e.message));
