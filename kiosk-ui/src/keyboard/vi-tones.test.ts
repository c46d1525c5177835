import { describe, expect, it } from 'vitest';
import { applyTone, withTone } from './vi-tones.js';

describe('Vietnamese tones on the touch keyboard', () => {
  it('puts each of the five tones on plain and shaped vowels, upper case too', () => {
    expect(['sac', 'huyen', 'hoi', 'nga', 'nang'].map((t) => withTone('a', t as never))).toEqual(['á', 'à', 'ả', 'ã', 'ạ']);
    expect(withTone('ê', 'nga')).toBe('ễ');
    expect(withTone('ơ', 'sac')).toBe('ớ');
    expect(withTone('ư', 'nang')).toBe('ự');
    expect(withTone('Ư', 'huyen')).toBe('Ừ');
    expect(withTone('ă', 'hoi')).toBe('ẳ');
    expect(withTone('y', 'sac')).toBe('ý');
  });

  it('replaces a tone, and the same tone again takes it off', () => {
    expect(withTone('ế', 'huyen')).toBe('ề');
    expect(withTone('ự', 'nang')).toBe('ư');
    expect(withTone('Á', 'sac')).toBe('A');
  });

  it('leaves consonants, digits and nothing alone', () => {
    expect(withTone('n', 'sac')).toBeNull();
    expect(withTone('đ', 'sac')).toBeNull();
    expect(withTone('5', 'nga')).toBeNull();
    expect(applyTone('', 0, 'sac')).toBeNull();
  });

  it('edits the character before the caret, wherever the caret is', () => {
    expect(applyTone('Nguyên', 5, 'nga')).toEqual({ text: 'Nguyễn', caret: 5 });
    expect(applyTone('Binh', 2, 'huyen')).toEqual({ text: 'Bình', caret: 2 });
    expect(applyTone('Nguyễn Văn', 10, 'sac')).toBeNull(); // 'n'
    const out = applyTone('Hà Noi', 5, 'nang')!;
    expect(out.text).toBe('Hà Nọi');
    expect(out.text.normalize('NFC')).toBe(out.text);
  });
});
