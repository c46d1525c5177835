import { bi, setBi, type Bi } from './i18n.js';
import { ApiError } from './api.js';

// Toasts for control results, a small status line for errors; nothing ever becomes a broken page.

let toastTimer: ReturnType<typeof setTimeout> | undefined;

export function toast(t: Bi, kind: 'info' | 'error' = 'info') {
  const el = document.getElementById('toast');
  if (!el) return;
  setBi(el, t);
  el.dataset.kind = kind;
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (el.hidden = true), kind === 'error' ? 6000 : 3000);
}

export function statusLine(text: string) {
  const el = document.getElementById('status-line');
  if (!el) return;
  el.textContent = text;
  el.title = new Date().toLocaleTimeString('vi-VN');
}

/** What went wrong with a control call, in plain words. */
export function explain(err: unknown, what: Bi = bi('Thiết bị', 'Device')): Bi {
  if (!(err instanceof ApiError)) return bi('Có lỗi xảy ra', 'Something went wrong');
  if (err.status === 0) return bi('Không liên lạc được với thiết bị', 'The appliance does not answer');
  if (err.status === 503 || err.status === 502) return bi(`${what.vi} không phản hồi`, `${what.en} not responding`);
  if (err.status === 401) return bi('Phiên cán bộ đã hết, hãy nhập lại mã PIN', 'Officer session ended, enter the PIN again');
  if (err.status === 403) return bi('Không được phép', 'Not allowed');
  if (err.status === 409) return bi('Không thực hiện được lúc này', 'Not possible right now');
  return bi(`Lỗi: ${err.message}`, `Error: ${err.message}`);
}

/** Runs a control action: errors become a toast, never an exception. */
export async function attempt(action: () => Promise<unknown>, what?: Bi, done?: Bi): Promise<boolean> {
  try {
    await action();
    if (done) toast(done);
    return true;
  } catch (err) {
    toast(explain(err, what), 'error');
    return false;
  }
}

export function catchEverything() {
  window.addEventListener('error', (e) => {
    e.preventDefault();
    statusLine(`Lỗi trang / page error: ${e.message}`);
  });
  window.addEventListener('unhandledrejection', (e) => {
    e.preventDefault();
    const r = e.reason as { message?: string } | undefined;
    statusLine(`Lỗi / error: ${r?.message ?? String(e.reason)}`);
  });
}
