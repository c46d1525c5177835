// The sign-in page: a local account (name, password, TOTP code when the account has one) or the
// province's SSO when the hub offers it. Back to `?next=` (a console page only) once signed in.

const $ = (sel) => document.querySelector(sel);
const say = (text) => ($('#signin-message').textContent = text);

/** Where to go after signing in: a page of the console, never another site. */
function nextPage() {
  const next = new URLSearchParams(location.search).get('next') ?? '';
  return /^\/console\/[^/\\]/.test(next) || next === '/console/' ? next : '/console/';
}

async function getJson(url) {
  const res = await fetch(url, { credentials: 'same-origin' });
  return res.ok ? res.json() : null;
}

async function init() {
  const [me, methods] = await Promise.all([getJson('/api/v1/session'), getJson('/api/v1/session/methods')]);
  if (me) {
    $('#already').hidden = false;
    $('#already-name').textContent = `${me.name} (${me.roles.join(', ')})`;
  }
  if (methods?.oidc) $('#sso').hidden = false;
  $('#name').focus();
}

$('#signin-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const body = { name: $('#name').value.trim(), password: $('#password').value };
  const totp = $('#totp').value.trim();
  if (totp) body.totp = totp;
  $('#signin-submit').disabled = true;
  say('');
  try {
    const res = await fetch('/api/v1/session', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const data = await res.json().catch(() => null);
    if (res.ok) {
      location.assign(nextPage());
      return;
    }
    if (data?.code === 'TOTP_REQUIRED') $('#totp').focus();
    say(data?.message ?? `${res.status} ${res.statusText}`);
    $('#password').value = '';
  } catch (err) {
    say(`Không kết nối được / Cannot reach the hub: ${err.message}`);
  } finally {
    $('#signin-submit').disabled = false;
  }
});

init();
