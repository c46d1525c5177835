import { bi, setBi } from './i18n.js';
import { seg, type Api } from './api.js';
import { presetRow } from './preset-buttons.js';
import { attempt, toast } from './status.js';
import type { Camera, Channel, Hearing, Preset } from './types.js';

// The officer controls (#controls), shown while unlocked: hearing start/end, camera presets and
// nudges, the citizen microphone, the reception book, lock.

const NUDGE: Record<string, { pan: number; tilt: number; zoom: number }> = {
  left: { pan: -0.1, tilt: 0, zoom: 0 },
  right: { pan: 0.1, tilt: 0, zoom: 0 },
  up: { pan: 0, tilt: 0.1, zoom: 0 },
  down: { pan: 0, tilt: -0.1, zoom: 0 },
  in: { pan: 0, tilt: 0, zoom: 0.1 },
  out: { pan: 0, tilt: 0, zoom: -0.1 },
};
const CAMERA = bi('Camera', 'Camera');
const MIC = bi('Micro', 'Microphone');

export interface ControlsDeps {
  api: Api;
  onLock: () => void;
  onOpenBook: () => void;
  /** Poll now (after a hearing starts or ends). */
  refresh: () => void;
}

export function createControls(d: ControlsDeps) {
  const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
  const panel = $('controls');
  const presets = $('presets');
  const micButton = $<HTMLButtonElement>('mic-mute');
  const confirm = $('confirm-end');
  let camera: string | null = null;
  let mic: Channel | null = null;

  /** One group per camera: its name (tap = the camera the arrows move) and its preset buttons. */
  async function loadCameras() {
    const cameras = await d.api.get<Camera[]>('/cameras');
    if (!cameras.some((c) => c.id === camera)) camera = cameras[0]?.id ?? null;
    // view=named: the room's named presets only (config order and names), whoever the page is signed in as.
    const groups = await Promise.all(
      cameras.map(async (c) => ({
        c,
        row: presetRow(await d.api.get<Preset[]>(`/cameras/${seg(c.id)}/presets?view=named`).catch(() => null)),
      })),
    );
    presets.replaceChildren(
      ...groups.map(({ c, row }) => {
        const group = document.createElement('div');
        group.className = 'camera-group';
        const select = document.createElement('button');
        select.className = 'camera-select';
        select.dataset.camera = c.id;
        select.textContent = c.name;
        select.hidden = cameras.length < 2;
        group.append(
          select,
          ...row.buttons.map((p) => {
            const b = document.createElement('button');
            b.className = 'preset';
            b.dataset.camera = c.id;
            b.dataset.token = p.token;
            b.textContent = p.name || p.token;
            return b;
          }),
        );
        if (row.note) {
          const note = document.createElement('p');
          note.className = 'preset-note';
          note.dataset.camera = c.id;
          setBi(note, row.note);
          group.append(note);
        }
        return group;
      }),
    );
    if (cameras.length === 0) setBi(presets, bi('Không có camera', 'No camera'));
    markCamera();
  }
  const markCamera = () => {
    for (const b of presets.querySelectorAll<HTMLElement>('.camera-select'))
      b.setAttribute('aria-pressed', String(b.dataset.camera === camera));
  };

  async function loadMic() {
    const channels = await d.api.get<Channel[]>('/audio/channels');
    mic = channels.find((c) => c.id === 'mic') ?? channels[0] ?? null;
    renderMic();
  }
  function renderMic() {
    micButton.hidden = !mic;
    const muted = mic?.muted === true;
    micButton.setAttribute('aria-pressed', String(muted));
    setBi(micButton, muted ? bi('Bật micro', 'Unmute mic') : bi('Tắt micro', 'Mute mic'));
  }

  panel.addEventListener('click', (e) => {
    const b = (e.target as HTMLElement).closest('button');
    if (!b || b.disabled) return;
    if (b.dataset.camera) (camera = b.dataset.camera), markCamera();
    if (b.classList.contains('preset')) {
      void attempt(() => d.api.post(`/cameras/${seg(b.dataset.camera!)}/presets/${seg(b.dataset.token!)}/goto`), CAMERA);
    } else if (b.classList.contains('nudge') && camera) {
      void attempt(() => d.api.post(`/cameras/${seg(camera!)}/move/relative`, { delta: NUDGE[b.dataset.dir!] }), CAMERA);
    } else if (b.id === 'mic-mute' && mic) {
      const want = mic.muted !== true;
      void attempt(() => d.api.post(`/audio/channels/${seg(mic!.id)}/mute`, { muted: want }), MIC).then(
        (ok) => ok && mic && ((mic.muted = want), renderMic()),
      );
    } else if (b.id === 'start-hearing') {
      const title = ($<HTMLInputElement>('hearing-title').value.trim() || 'Phiên tiếp công dân').slice(0, 200);
      void attempt(() => d.api.post('/hearings/local', { title }), undefined, bi('Đã bắt đầu phiên', 'Hearing started')).then(d.refresh);
    } else if (b.id === 'end-hearing') confirm.hidden = false;
    else if (b.id === 'confirm-end-no') confirm.hidden = true;
    else if (b.id === 'confirm-end-yes') {
      confirm.hidden = true;
      void attempt(() => d.api.post('/hearings/current/end'), undefined, bi('Đã kết thúc phiên', 'Hearing ended')).then(d.refresh);
    } else if (b.id === 'open-book') d.onOpenBook();
    else if (b.id === 'lock') d.onLock();
  });

  return {
    async show() {
      panel.hidden = false;
      confirm.hidden = true;
      await Promise.all([loadCameras(), loadMic()]).catch(() =>
        toast(bi('Không tải được danh sách thiết bị', 'Could not load the devices'), 'error'),
      );
    },
    hide() {
      panel.hidden = true;
      confirm.hidden = true;
    },
    /** Start/end availability follows the current hearing. */
    update(hearing: Hearing | null) {
      $('hearing-start-row').hidden = hearing !== null;
      $('end-hearing').hidden = hearing === null;
      $<HTMLButtonElement>('open-book').disabled = hearing === null;
      if (!hearing) confirm.hidden = true;
    },
  };
}
