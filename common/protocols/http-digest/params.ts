// Reading and writing the auth-param lists of WWW-Authenticate and Authorization (RFC 7235 §2.1,
// RFC 7616 §3.3–3.4). fetch() joins repeated WWW-Authenticate headers with ", ", so one string may hold
// several challenges: a bare token not followed by "=" starts the next one.

export interface Challenge {
  /** Lower-cased auth-scheme: 'digest', 'basic'… */
  scheme: string;
  /** Parameter names lower-cased, values unquoted. */
  params: Record<string, string>;
}

const TOKEN = /[!#$%&'*+.^_`|~0-9A-Za-z-]+/y;

function skipSpaces(s: string, i: number): number {
  while (i < s.length && (s[i] === ' ' || s[i] === '\t')) i++;
  return i;
}

function readToken(s: string, i: number): [string, number] {
  TOKEN.lastIndex = i;
  const m = TOKEN.exec(s);
  return m ? [m[0], i + m[0].length] : ['', i];
}

function readQuoted(s: string, i: number): [string, number] {
  let out = '';
  for (i++; i < s.length && s[i] !== '"'; i++) out += s[i] === '\\' && i + 1 < s.length ? s[++i] : s[i];
  return [out, i + 1];
}

/** Every challenge of a WWW-Authenticate value (or several joined with commas), in order. */
export function parseChallenges(header: string): Challenge[] {
  const out: Challenge[] = [];
  let i = 0;
  while (i < header.length) {
    i = skipSpaces(header, i);
    if (header[i] === ',') {
      i++;
      continue;
    }
    const [name, after] = readToken(header, i);
    if (!name) break; // not a token: stop rather than loop on garbage
    const j = skipSpaces(header, after);
    if (header[j] === '=' && out.length > 0 && header[j + 1] !== '=') {
      // a parameter of the current challenge
      let k = skipSpaces(header, j + 1);
      let value: string;
      if (header[k] === '"') [value, k] = readQuoted(header, k);
      else [value, k] = readToken(header, k);
      out[out.length - 1]!.params[name.toLowerCase()] = value;
      i = k;
    } else {
      out.push({ scheme: name.toLowerCase(), params: {} });
      i = after;
    }
  }
  return out;
}

/** Parameters of an Authorization header value with the given scheme, undefined when it is another scheme. */
export function parseCredentials(header: string, scheme = 'digest'): Record<string, string> | undefined {
  const [c] = parseChallenges(header);
  return c && c.scheme === scheme ? c.params : undefined;
}

export const quote = (v: string) => `"${v.replace(/["\\]/g, '\\$&')}"`;
