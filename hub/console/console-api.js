// Shared by the console pages: DOM lookup, the signed-in person (session cookie, set by the sign-in
// page), JSON API calls. The cookie goes with every request by itself (same origin); every POST, PUT,
// PATCH and DELETE also carries the session's csrf token in `x-csrf-token`. A 401 means the session
// is gone: back to the sign-in page, which returns here. No token in localStorage or in a URL.

export const $ = (sel) => document.querySelector(sel);
export const params = new URLSearchParams(location.search);
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The person signed in ({name, roles, via, csrf}), or null (not signed in; a demo hub may trust its own machine). */
let session = null;

/** Opens the sign-in page, which comes back to this page once signed in. */
export function toSignin() {
  location.assign(`/console/signin.html?next=${encodeURIComponent(location.pathname + location.search)}`);
}

async function loadSession() {
  const res = await fetch('/api/v1/session', { credentials: 'same-origin' }).catch(() => null);
  session = res?.ok ? await res.json() : null;
  showWho();
  return session;
}
/** Resolves once the session is known (the csrf token is needed before the first change). */
export const ready = loadSession();

/** The header's "who is signed in · Sign out" (or "Sign in"), in `#who` on every console page. */
function showWho() {
  const who = $('#who');
  if (!who) return;
  who.replaceChildren();
  const text = document.createElement('span');
  const button = document.createElement('button');
  button.type = 'button';
  if (session) {
    text.textContent = `${session.name} (${session.roles.join(', ')})`;
    button.textContent = 'Đăng xuất / Sign out';
    button.onclick = signOut;
  } else {
    text.textContent = 'Chưa đăng nhập / Not signed in';
    button.textContent = 'Đăng nhập / Sign in';
    button.onclick = toSignin;
  }
  who.append(text, button);
}

export async function signOut() {
  await fetch('/api/v1/session', {
    method: 'DELETE',
    credentials: 'same-origin',
    headers: session ? { 'x-csrf-token': session.csrf } : {},
  }).catch(() => null);
  session = null;
  toSignin();
}

export async function api(method, path, body) {
  await ready;
  const headers = {};
  if (body) headers['content-type'] = 'application/json';
  if (UNSAFE.has(method) && session) headers['x-csrf-token'] = session.csrf;
  const res = await fetch(`/api/v1${path}`, { method, headers, credentials: 'same-origin', body: body ? JSON.stringify(body) : undefined });
  if (res.status === 401) {
    toSignin();
    throw new Error('Chưa đăng nhập hoặc phiên đăng nhập đã hết hạn / Not signed in, or the session expired');
  }
  const data = res.status === 204 ? null : await res.json().catch(() => null);
  if (!res.ok) throw new Error(data?.message ?? `${res.status} ${res.statusText}`);
  return data;
}
export const say = (text) => ($('#message').textContent = text);
