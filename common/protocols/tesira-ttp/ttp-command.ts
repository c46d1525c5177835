// Builds and splits TTP command lines: `InstanceTag command attribute [index...] [value]`.
// Service commands (DEVICE recallPreset 1001) have no attribute: the service code is the verb.

export type TtpArg = string | number | boolean;

/** Quotes a token the way Biamp's command-string calculator does: anything with a space or comma. */
export function quoteToken(token: string): string {
  if (token === '') return '""';
  if (/^[[{].*[\]}]$/.test(token)) return token; // lists/objects stay bare
  return /[ ,"]/.test(token) ? `"${token.replace(/"/g, '')}"` : token;
}

/** Numbers always carry a decimal point (`-3.0`), so a level never reads as an index. */
export function formatArg(a: TtpArg): string {
  if (typeof a === 'boolean') return String(a);
  if (typeof a === 'number') return Number.isInteger(a) ? a.toFixed(1) : String(Math.round(a * 1e6) / 1e6);
  return quoteToken(a);
}

export function formatCommand(tag: string, verb: string, ...rest: (TtpArg | undefined)[]): string {
  const args = rest.filter((a): a is TtpArg => a !== undefined);
  return [quoteToken(tag), verb, ...args.map((a) => (typeof a === 'string' ? quoteToken(a) : formatArg(a)))].join(' ');
}

// Indexes and preset ids are integers: pass them as strings so formatArg does not add `.0`.
const int = (n: number) => String(Math.trunc(n));

/** The commands the driver sends. Each returns the line without its terminator. */
export const ttp = {
  getLevel: (tag: string, index: number) => formatCommand(tag, 'get', 'level', int(index)),
  setLevel: (tag: string, index: number, db: number) => formatCommand(tag, 'set', 'level', int(index), db),
  getMute: (tag: string, index: number) => formatCommand(tag, 'get', 'mute', int(index)),
  setMute: (tag: string, index: number, muted: boolean) => formatCommand(tag, 'set', 'mute', int(index), muted),
  recallPreset: (preset: number) => formatCommand('DEVICE', 'recallPreset', int(preset)),
  subscribe: (tag: string, attribute: string, index: number, token: string, rateMs: number) =>
    formatCommand(tag, 'subscribe', attribute, int(index), token, int(rateMs)),
  unsubscribe: (tag: string, attribute: string, index: number, token: string) =>
    formatCommand(tag, 'unsubscribe', attribute, int(index), token),
  setVerbose: (on: boolean) => formatCommand('SESSION', 'set', 'verbose', on),
};

/** A line terminator: Tesira ends a command at LF (or CR). */
export const encodeCommand = (line: string): string => `${line}\n`;

export interface SplitCommand {
  tokens: string[];
  /** Character offset of each token in the line, for `Parse error at N` replies. */
  offsets: number[];
}

/**
 * Splits a command line into tokens, honouring double quotes (`"my level 2" get level 1`,
 * `Mixer1 set crosspoint "1""1" true`). Returns null for an unterminated quote.
 */
export function splitCommand(line: string): SplitCommand | null {
  const tokens: string[] = [];
  const offsets: number[] = [];
  let i = 0;
  while (i < line.length) {
    if (line[i] === ' ' || line[i] === '\t') {
      i++;
      continue;
    }
    offsets.push(i);
    if (line[i] === '"') {
      const end = line.indexOf('"', i + 1);
      if (end < 0) return null;
      tokens.push(line.slice(i + 1, end));
      i = end + 1;
    } else {
      let end = i;
      while (end < line.length && !' \t"'.includes(line[end])) end++;
      tokens.push(line.slice(i, end));
      i = end;
    }
  }
  return { tokens, offsets };
}
