import './layout.css';
import { ApiError, createApi } from './api.js';
import { createBridge } from './bridge.js';
import { createAudioFollow } from './audio-follow.js';
import { createBookForm } from './book-form.js';
import { createTouchKeyboard } from './keyboard/touch-keyboard.js';
import { createControls } from './controls.js';
import { bi, setBi } from './i18n.js';
import { createPinPad } from './pin-pad.js';
import { createSession } from './session.js';
import { isOfficer, type Observed } from './state.js';
import { catchEverything, statusLine } from './status.js';
import type { CurrentHearing, GatewayReply, HealthReply, KioskBridgeTicket, KioskInfo, Participant } from './types.js';
import { mainParticipant, renderMedia, unmuteOnTouch, type Media } from './video.js';
import { renderClock, renderView } from './view.js';
import { watchEvents } from './events.js';

// The room's kiosk page: polls the daemon every 2 s (events make it sooner), shows the gateway's
// kiosk bridge, and opens the officer controls after a PIN. Nothing here may throw to the page.

catchEverything();
unmuteOnTouch();

const app = document.getElementById('app')!;
const session = createSession((token) => {
  void fetch('/api/v1/kiosk/lock', { method: 'POST', headers: { authorization: `Bearer ${token}` } }).catch(() => undefined);
  controls.hide();
  book.close();
  app.classList.remove('unlocked');
});
const api = createApi({ token: session.token, onUnauthorized: () => session.end() });
const observed: Observed = { health: null, hearing: null, bridgeUp: false, officerVideo: false };
let info: KioskInfo | null = null;
let known: Participant[] = [];
let bridgeDownSince = Date.now();
let bridgeUp = false;
let officerSeenAt = 0;

const controls = createControls({ api, onLock: () => session.end(), onOpenBook: () => void openBook(), refresh: () => void poll() });
const book = createBookForm(api);
const follow = createAudioFollow(api); // the audio-follow camera: mode in the footer, the switch in the controls
createTouchKeyboard(); // no physical keyboard on the room box
const pin = createPinPad(api, (u) => {
  session.start(u.token, u.expiresAt, info?.autoLockSeconds ?? 120);
  app.classList.add('unlocked');
  void controls.show();
});

document.getElementById('officer-button')!.addEventListener('click', () => {
  if (session.token()) return session.end();
  pin.open();
  if (info && !info.pinConfigured)
    setBi(document.getElementById('pin-error')!, bi('Chưa đặt mã PIN cho màn hình này', 'No kiosk PIN is set (reception kiosk-pin)'));
});

async function openBook() {
  if (!observed.hearing) return;
  const names = (officer: boolean) => known.filter((p) => isOfficer(p.id, known) === officer).map((p) => (officer ? p.name : p.id));
  const unique = (xs: string[]) => [...new Set(xs.filter(Boolean))];
  // The book is filed with the recording (directory `<hearing>.<room>`, or `-rN` after a reuse), as the hub's entries are.
  const id = observed.hearing.id;
  const rec = observed.health?.recording?.hearing;
  const recordingId = rec && rec.startsWith(`${id}.`) ? rec : `${id}.${info?.room.id ?? ''}`;
  await book.open(observed.hearing, { rooms: unique([info?.room.id ?? '', ...names(false)]), officers: unique(names(true)) }, recordingId);
}

async function loadParticipants() {
  try {
    const g = await api.get<GatewayReply>('/gateway', 1500);
    known = g.detail?.hearing?.participants ?? [];
  } catch {
    /* keep the last list; ids still tell officers from rooms */
  }
}

let media: Media[] = [];
function startBridge(url: string) {
  const ticket = async () => (await api.get<KioskBridgeTicket>('/kiosk/bridge-ticket', 3000)).protocols;
  createBridge(url, ticket, {
    onMedia: (m) => {
      media = m;
      renderMedia(media, known); // at once; again when the participant list is in
      void loadParticipants().then(() => renderMedia(media, known));
    },
    onUp: (up) => {
      if (up === bridgeUp) return;
      bridgeUp = up;
      if (!up) bridgeDownSince = Date.now();
      render();
    },
    onFlowing: (flowing) => {
      const main = mainParticipant();
      if (main && flowing.has(main)) officerSeenAt = Date.now();
      render();
    },
    onError: (where, err) => statusLine(`${where}: ${(err as Error)?.message ?? err}`),
  });
}

function render() {
  observed.bridgeUp = bridgeUp || Date.now() - bridgeDownSince < 3000; // a moment's grace at start and on rebuilds
  observed.officerVideo = Date.now() - officerSeenAt < 5000;
  renderView(observed, info?.room.name ?? '');
  controls.update(observed.hearing);
}

// The daemon polls the gateway with a short timeout: one missed poll on a busy box must not flash
// "reconnecting" at the citizen. A link counts as lost after GATEWAY_GRACE_MS of not being connected.
const GATEWAY_GRACE_MS = 3000;
let gatewayBadSince: number | null = null;
let lastGoodGateway: HealthReply['gateway'];
function steady(h: HealthReply): HealthReply {
  if (!h.gateway || h.gateway.state === 'connected') {
    gatewayBadSince = null;
    lastGoodGateway = h.gateway;
    return h;
  }
  gatewayBadSince ??= Date.now();
  return Date.now() - gatewayBadSince < GATEWAY_GRACE_MS && lastGoodGateway ? { ...h, gateway: lastGoodGateway } : h;
}

let polling = false;
async function poll() {
  if (polling) return;
  polling = true;
  try {
    const [health, current] = await Promise.all([
      api.get<HealthReply>('/health', 1800),
      api.get<CurrentHearing>('/hearings/current', 1800).catch(() => null),
    ]);
    observed.health = steady(health);
    void follow.refresh();
    if (current) observed.hearing = current.hearing;
    statusLine('');
  } catch (err) {
    if (err instanceof ApiError && err.status === 0) observed.health = null;
    else statusLine(`health: ${(err as Error).message}`);
  } finally {
    polling = false;
  }
  render();
}

async function start() {
  while (!info) {
    try {
      info = await api.get<KioskInfo>('/kiosk');
    } catch (err) {
      // An older daemon without /api/v1/kiosk: the gateway's default port beside it.
      if (err instanceof ApiError && err.status === 404)
        info = {
          room: { id: '', name: '' },
          gateway: { kioskSignalUrl: `ws://${location.hostname}:8081/kiosk/signal` },
          pinConfigured: false,
          autoLockSeconds: 120,
          sessionMinutes: 10,
        };
      else await poll().then(() => new Promise((r) => setTimeout(r, 2000)));
    }
  }
  startBridge(info.gateway.kioskSignalUrl);
  watchEvents(() => void poll());
}

renderClock();
setInterval(renderClock, 1000);
setInterval(render, 1000); // elapsed time, grace periods
setInterval(() => void poll(), 2000);
void poll();
void start();
