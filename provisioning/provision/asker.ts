import { createInterface, type Interface } from 'node:readline';

// How the flow gets its answers: from the technician at the terminal (node:readline, the default shown in
// brackets, Enter takes it), or from an answers file (--answers FILE, JSON) where a missing answer without
// a default is an error naming it. Every question and message is Vietnamese first, then English.

export interface Question<T> {
  /** Dotted key in the answers file, e.g. "hub.code". */
  key: string;
  vi: string;
  en: string;
  default?: T;
  /** Text typed (or the JSON value) → the answer; throws a message naming what is wrong. */
  parse?: (value: unknown) => T;
}

export class AnswerError extends Error {}

export interface Asker {
  readonly interactive: boolean;
  ask<T>(q: Question<T>): Promise<T>;
  /** Whether the answers file names this key (always false at the terminal). */
  has(key: string): boolean;
  say(vi: string, en: string): void;
  close(): void;
}

const lookup = (answers: Record<string, unknown>, key: string): unknown =>
  key.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), answers);

/** A default as a person reads it: yes/no, a PTZ position as "pan tilt zoom", lists comma-separated. */
const show = (v: unknown): string => {
  if (typeof v === 'boolean') return v ? 'có / yes' : 'không / no';
  if (Array.isArray(v)) return v.join(', ');
  if (v && typeof v === 'object' && 'pan' in v)
    return ['pan', 'tilt', 'zoom'].map((k) => Number((v as Record<string, number>)[k]).toFixed(2)).join(' ');
  return typeof v === 'string' ? v : JSON.stringify(v);
};

export function answersAsker(answers: Record<string, unknown>, file: string, out: NodeJS.WritableStream): Asker {
  const say = (vi: string, en: string) => out.write(`${vi} / ${en}\n`);
  return {
    interactive: false,
    has: (key) => lookup(answers, key) !== undefined,
    async ask<T>(q: Question<T>): Promise<T> {
      const raw = lookup(answers, q.key);
      if (raw === undefined) {
        if (q.default === undefined)
          throw new AnswerError(`thiếu câu trả lời "${q.key}" trong ${file} (${q.vi}) / answer "${q.key}" missing in ${file} (${q.en})`);
        return q.default;
      }
      try {
        return q.parse ? q.parse(raw) : (raw as T);
      } catch (err) {
        throw new AnswerError(`câu trả lời "${q.key}" sai / answer "${q.key}" in ${file} is wrong: ${(err as Error).message}`);
      }
    },
    say,
    close() {},
  };
}

export function terminalAsker(input: NodeJS.ReadableStream, out: NodeJS.WritableStream): Asker {
  let rl: Interface | undefined;
  let lines: AsyncIterator<string> | undefined;
  // Lines are read through the iterator, which buffers them: answers piped in ahead of the questions are kept.
  const next = async () => {
    rl ??= createInterface({ input, terminal: false });
    lines ??= rl[Symbol.asyncIterator]();
    const r = await lines.next();
    if (r.done) throw new AnswerError('hết dữ liệu vào / input ended before every question was answered');
    return r.value;
  };
  return {
    interactive: true,
    has: () => false,
    async ask<T>(q: Question<T>): Promise<T> {
      for (;;) {
        const hint = q.default === undefined || show(q.default) === '' ? '' : ` [${show(q.default)}]`;
        out.write(`${q.vi} / ${q.en}${hint}: `);
        const text = (await next()).trim();
        if (text === '' && q.default !== undefined) return q.default;
        try {
          return q.parse ? q.parse(text) : (text as T);
        } catch (err) {
          out.write(`  ✗ ${(err as Error).message}\n`);
        }
      }
    },
    say: (vi, en) => out.write(`${vi} / ${en}\n`),
    close: () => rl?.close(),
  };
}

/** Parsers shared by the steps: they accept what a person types and what a JSON file holds. */
export const parse = {
  text:
    (min = 1) =>
    (v: unknown) => {
      const s = String(v ?? '').trim();
      if (s.length < min) throw new Error(`cần ít nhất ${min} ký tự / at least ${min} character(s)`);
      return s;
    },
  yes: (v: unknown) => {
    if (typeof v === 'boolean') return v;
    if (/^(y|yes|c|có|co|1|true)$/i.test(String(v))) return true;
    if (/^(n|no|k|không|khong|0|false)$/i.test(String(v))) return false;
    throw new Error('trả lời có/không / answer yes or no');
  },
  number: (min: number, max: number) => (v: unknown) => {
    const n = typeof v === 'number' ? v : Number(String(v).trim());
    if (!Number.isFinite(n) || n < min || n > max) throw new Error(`một số từ ${min} đến ${max} / a number from ${min} to ${max}`);
    return n;
  },
  /** A JSON list in a file; at the terminal, comma-separated words ("" = none). */
  list: (v: unknown) => {
    if (Array.isArray(v)) return v.map(String);
    const s = String(v ?? '').trim();
    return s ? s.split(/[,\s]+/).filter(Boolean) : [];
  },
};
