// A room config with every secret taken out, for a diagnostics bundle and the hub's list of operations:
// passwords, the kiosk PIN hash, token hashes, any secret/key field, and the user:password of a URL
// (rtsp://user:pass@camera). Redacted values say so, so a reader knows a value was there.

export const REDACTED = '«redacted»';
const SECRET_KEY = /(password|passwd|secret|pinhash|sha256|token$|apikey|privatekey|^key$)/i;
/** Keys named like secrets that are not: a camera preset's token is its number, a profile's token is its name. */
const NOT_SECRET = new Set(['token', 'profileToken']);
const URL_USERINFO = /^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/i;

export function redactConfig(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => redactConfig(v, key));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactConfig(v, k)]));
  if (typeof value === 'string') {
    if (!NOT_SECRET.has(key) && SECRET_KEY.test(key)) return value === '' ? '' : REDACTED;
    return value.replace(URL_USERINFO, `$1${REDACTED}@`);
  }
  return value;
}
