// Shared by the console pages: DOM lookup, the access token (kept in localStorage), JSON API calls.

export const $ = (sel) => document.querySelector(sel);
export const params = new URLSearchParams(location.search);
const tokenInput = $('#token');
tokenInput.value = params.get('token') ?? localStorage.getItem('reception-hub-token') ?? '';
tokenInput.addEventListener('change', () => localStorage.setItem('reception-hub-token', tokenInput.value));
export const token = () => tokenInput.value.trim();

export async function api(method, path, body) {
  const headers = {};
  if (token()) headers.authorization = `Bearer ${token()}`;
  if (body) headers['content-type'] = 'application/json';
  const res = await fetch(`/api/v1${path}`, { method, headers, body: body ? JSON.stringify(body) : undefined });
  const data = await res.json().catch(() => null);
  if (!res.ok) throw new Error(data?.message ?? `${res.status} ${res.statusText}`);
  return data;
}
export const say = (text) => ($('#message').textContent = text);
