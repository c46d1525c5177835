// Pure: Vietnamese tone marks on the touch keyboard. The officer types the vowel, then taps a tone
// key: the tone goes on the character just before the caret (replacing its tone, or removing it
// when it is the same one). Letters with their own shape (ă â ê ô ơ ư đ) have their own keys.
// Unicode does the rest: decompose (NFD), swap the tone mark, recompose (NFC).

export const TONES = {
  sac: '\u0301', // á
  huyen: '\u0300', // à
  hoi: '\u0309', // ả
  nga: '\u0303', // ã
  nang: '\u0323', // ạ
} as const;
export type Tone = keyof typeof TONES;

const TONE_MARKS = new Set<string>(Object.values(TONES));
const VOWELS = new Set('aăâeêioôơuưy');

/** The character with `tone` (toggled off if it has it already); null when it is not a vowel. */
export function withTone(char: string, tone: Tone): string | null {
  const parts = [...char.normalize('NFD')];
  const base = parts[0];
  if (!base) return null;
  const shape = parts.slice(1).filter((m) => !TONE_MARKS.has(m));
  if (!VOWELS.has((base + shape.join('')).normalize('NFC').toLowerCase())) return null;
  const had = parts.slice(1).some((m) => m === TONES[tone]);
  return (base + shape.join('') + (had ? '' : TONES[tone])).normalize('NFC');
}

/** Applies `tone` to the character before `caret` in `text`; null when there is no vowel there. */
export function applyTone(text: string, caret: number, tone: Tone): { text: string; caret: number } | null {
  const before = [...text.slice(0, caret)];
  const last = before.pop();
  if (last === undefined) return null;
  const toned = withTone(last, tone);
  if (toned === null) return null;
  const head = before.join('') + toned;
  return { text: head + text.slice(caret), caret: head.length };
}
