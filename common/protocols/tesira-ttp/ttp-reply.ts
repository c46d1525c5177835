import { formatValue, parseMembers, parseValues, type TtpValue } from './ttp-value.js';

/** One line the Tesira sends, classified. `other` is the echo of a command or noise: the caller decides. */
export type TtpLine =
  | { kind: 'ok'; fields: Record<string, TtpValue>; values: TtpValue[] }
  | { kind: 'err'; reason: string }
  | { kind: 'publish'; token: string; value: TtpValue; ok: boolean }
  | { kind: 'banner' }
  | { kind: 'other'; text: string };

export const BANNER = 'Welcome to the Tesira Text Protocol Server...';

/** Classifies one line (terminator already removed). Never throws: malformed lines become `other`. */
export function parseLine(raw: string): TtpLine {
  const line = raw.trim();
  try {
    if (line === '+OK' || line.startsWith('+OK ')) return parseOk(line.slice(3).trim());
    // `-ERR <reason>`, and the bare codes `-CANNOT_DELIVER` / `-GENERAL_FAILURE`.
    if (line.startsWith('-ERR')) return { kind: 'err', reason: line.slice(4).trim() || 'ERR' };
    if (/^-[A-Z_]+$/.test(line)) return { kind: 'err', reason: line.slice(1) };
    if (line.startsWith('! ')) return parsePublish(line.slice(2).trim());
    if (line.startsWith('Welcome to the Tesira Text Protocol Server')) return { kind: 'banner' };
  } catch {
    /* fall through: malformed */
  }
  return { kind: 'other', text: line };
}

function parseOk(body: string): TtpLine {
  if (body === '') return { kind: 'ok', fields: {}, values: [] };
  // Verbose replies start with a quoted key followed by ':'; concise ones are bare values.
  if (/^"[^"]*":/.test(body)) {
    const fields = parseMembers(body);
    return { kind: 'ok', fields, values: Object.values(fields) };
  }
  return { kind: 'ok', fields: {}, values: parseValues(body) };
}

function parsePublish(body: string): TtpLine {
  // The first publish after `subscribe` may carry the `+OK` on the same line.
  const ok = / \+OK$/.test(body);
  const text = ok ? body.slice(0, -4) : body;
  if (text.startsWith('"publishToken":')) {
    const m = parseMembers(text);
    if (typeof m.publishToken !== 'string' || !('value' in m)) throw new Error('bad publish');
    return { kind: 'publish', token: m.publishToken, value: m.value, ok };
  }
  const [token, value, ...rest] = parseValues(text); // concise: `! "token" -40.2`
  if (typeof token !== 'string' || value === undefined || rest.length) throw new Error('bad publish');
  return { kind: 'publish', token, value, ok };
}

/** The single value of a `+OK "value":x` (or concise `+OK x`) reply. */
export function okValue(line: Extract<TtpLine, { kind: 'ok' }>): TtpValue | undefined {
  return 'value' in line.fields ? line.fields.value : line.values[0];
}

// --- the device side (used by the simulator) ---

export const formatOk = (value?: TtpValue, verbose = true): string =>
  value === undefined ? '+OK' : verbose ? `+OK "value":${formatValue(value)}` : `+OK ${formatValue(value)}`;

export const formatErr = (reason: string): string => `-ERR ${reason}`;

export const formatPublish = (token: string, value: TtpValue, verbose = true): string =>
  verbose ? `! "publishToken":"${token}" "value":${formatValue(value)}` : `! "${token}" ${formatValue(value)}`;

/** `-ERR ALREADY_SUBSCRIBED`: the session already holds a subscription with this label. */
export const ALREADY_SUBSCRIBED = 'ALREADY_SUBSCRIBED';

/** `-ERR INVALID_PARAMETER … out of range…`: a value (or index) the block does not take; nothing changed. */
export const isOutOfRange = (reason: string): boolean => /^INVALID_PARAMETER\b.*out of range/i.test(reason);

/** Tesira's reply to an instance tag it does not know (the address fields are zero). */
export const ADDRESS_NOT_FOUND = 'address not found: {"deviceId":0 "classCode":0 "instanceNum":0}';
