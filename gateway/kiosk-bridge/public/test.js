// Kiosk bridge test page: one WebRTC connection from the gateway carrying this room's video and
// every remote participant's audio + video. No CDN, no build step.
const grid = document.getElementById('grid');
const status = document.getElementById('status');
const selfVideo = document.getElementById('self-video');
let pc;
let ws;

function setStatus(vi, en) {
  status.textContent = `${vi} / ${en}`;
}

/** One figure per remote participant, found again by its data-participant attribute. */
function remoteVideo(id, name) {
  let video = grid.querySelector(`video[data-participant="${CSS.escape(id)}"]`);
  if (video) return video;
  const figure = document.createElement('figure');
  figure.dataset.participant = id;
  video = document.createElement('video');
  video.dataset.participant = id;
  video.autoplay = true;
  video.playsInline = true;
  const caption = document.createElement('figcaption');
  caption.textContent = `Người tham gia: ${name} / Participant: ${name}`;
  figure.append(video, caption);
  grid.append(figure);
  return video;
}

async function play(video) {
  try {
    await video.play();
  } catch {
    video.muted = true; // autoplay policy: show the picture even when sound is refused
    await video.play().catch(() => {});
  }
}

async function onOffer(msg) {
  pc?.close();
  for (const v of grid.querySelectorAll('video')) v.srcObject = null; // the old connection's tracks are gone
  pc = new RTCPeerConnection();
  const byMid = new Map(msg.streams.map((s) => [s.mid, s]));
  const keep = new Set(msg.streams.filter((s) => !s.self).map((s) => s.participant));
  for (const fig of grid.querySelectorAll('figure[data-participant]')) if (!keep.has(fig.dataset.participant)) fig.remove();
  pc.ontrack = (ev) => {
    const info = byMid.get(ev.transceiver.mid);
    if (!info) return;
    const video = info.self ? selfVideo : remoteVideo(info.participant, info.name);
    const stream = video.srcObject instanceof MediaStream ? video.srcObject : new MediaStream();
    stream.addTrack(ev.track);
    if (video.srcObject !== stream) video.srcObject = stream;
    void play(video);
  };
  pc.onconnectionstatechange = () => {
    const s = pc.connectionState;
    if (s === 'connected') setStatus('Đã kết nối', 'Connected');
    if (s === 'failed') ws.send(JSON.stringify({ type: 'request-offer' }));
  };
  await pc.setRemoteDescription({ type: 'offer', sdp: msg.sdp });
  await pc.setLocalDescription(await pc.createAnswer());
  ws.send(JSON.stringify({ type: 'answer', sdp: pc.localDescription.sdp }));
}

// The bridge wants a ticket from the room daemon (GET /api/v1/kiosk/bridge-ticket, one use, 60 s), given
// to this page as /kiosk/test#ticket=<ticket>: the fragment never reaches a server or a log.
const ticket = new URLSearchParams(location.hash.slice(1)).get('ticket');
let used = false;

function connect() {
  if (!ticket || used) {
    setStatus('Cần vé mới: /kiosk/test#ticket=…', 'A fresh ticket is needed: /kiosk/test#ticket=…');
    return;
  }
  used = true;
  ws = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/kiosk/signal`, ['reception-kiosk.v1', `ticket.${ticket}`]);
  ws.onmessage = (ev) => {
    const msg = JSON.parse(ev.data);
    if (msg.type === 'offer') void onOffer(msg);
    // Someone joined or left: a fresh connection with the new set of streams.
    if (msg.type === 'participants-changed') ws.send(JSON.stringify({ type: 'request-offer' }));
  };
  ws.onclose = () => {
    setStatus('Mất kết nối với gateway, đang thử lại…', 'Gateway connection lost, retrying…');
    pc?.close();
    setTimeout(connect, 1000); // says a fresh ticket is needed
  };
}
connect();
