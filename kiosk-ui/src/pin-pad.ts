import { bi, setBi } from './i18n.js';
import { ApiError, type Api } from './api.js';
import type { KioskUnlocked } from './types.js';

// The numeric PIN pad: touch-sized digits, ⌫, OK. Success hands the session token back.

export type Unlocked = Pick<KioskUnlocked, 'token' | 'expiresAt'>;

export function createPinPad(api: Api, onUnlocked: (u: Unlocked) => void) {
  const pad = document.getElementById('pin-pad')!;
  const dots = document.getElementById('pin-dots')!;
  const error = document.getElementById('pin-error')!;
  const ok = document.getElementById('pin-ok') as HTMLButtonElement;
  let pin = '';
  let busy = false;

  const render = () => {
    dots.textContent = pin.length ? '●'.repeat(pin.length) : '';
    dots.classList.toggle('empty', pin.length === 0);
    ok.disabled = busy || pin.length < 4;
  };
  const showError = (vi: string, en: string) => setBi(error, bi(vi, en));

  pad.addEventListener('click', (e) => {
    const b = (e.target as HTMLElement).closest('button');
    if (!b || busy) return;
    if (b.dataset.digit !== undefined && pin.length < 8) pin += b.dataset.digit;
    if (b.id === 'pin-back') pin = pin.slice(0, -1);
    if (b.id === 'pin-cancel') close();
    render();
  });

  ok.addEventListener('click', async () => {
    if (busy || pin.length < 4) return;
    busy = true;
    render();
    try {
      const r = await api.postAnonymous<KioskUnlocked>('/kiosk/unlock', { pin });
      close();
      onUnlocked(r);
    } catch (err) {
      pin = '';
      const e = err instanceof ApiError ? err : new ApiError(0, 'UNREACHABLE', String(err));
      if (e.status === 401 || e.status === 429 || e.status === 503) {
        const [vi, en] = e.message.split(' / ');
        showError(vi ?? e.message, en ?? '');
      } else if (e.status === 0) showError('Không liên lạc được với thiết bị', 'The appliance does not answer');
      else showError(`Lỗi ${e.status}`, e.message);
    } finally {
      busy = false;
      render();
    }
  });

  function open() {
    pin = '';
    error.replaceChildren();
    delete error.dataset.vi;
    delete error.dataset.en;
    pad.hidden = false;
    render();
  }
  function close() {
    pin = '';
    pad.hidden = true;
  }
  return { open, close, isOpen: () => !pad.hidden };
}
