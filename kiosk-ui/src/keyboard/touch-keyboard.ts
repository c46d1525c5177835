import { applyTone, type Tone } from './vi-tones.js';

// The room box has a touch panel and no keyboard: text fields (the reception book, the hearing's
// title) open this on-screen keyboard. Vietnamese letters with their own shape have keys; tones are
// put on the vowel just typed (vi-tones.ts). Keys act on pointerdown and keep the field focused.

const ROWS = ['1234567890', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm', 'ăâđêôơư'];
const TONE_KEYS: [Tone, string, string][] = [
  ['sac', '´', 'sắc'],
  ['huyen', '`', 'huyền'],
  ['hoi', '?', 'hỏi'],
  ['nga', '~', 'ngã'],
  ['nang', '.', 'nặng'],
];
type Field = HTMLInputElement | HTMLTextAreaElement;

const isTextField = (el: Element | null): el is Field =>
  (el instanceof HTMLInputElement && el.type === 'text') || el instanceof HTMLTextAreaElement;

function key(label: string, data: Record<string, string>, cls = ''): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = `osk-key ${cls}`.trim();
  b.textContent = label;
  Object.assign(b.dataset, data);
  return b;
}

export function createTouchKeyboard(root: HTMLElement = document.body) {
  const panel = document.createElement('div');
  panel.id = 'osk';
  panel.hidden = true;
  panel.setAttribute('role', 'group');
  panel.setAttribute('aria-label', 'Bàn phím · Keyboard');
  for (const row of ROWS) {
    const r = document.createElement('div');
    r.className = 'osk-row';
    for (const ch of row) r.append(key(ch, { char: ch }));
    panel.append(r);
  }
  const tones = document.createElement('div');
  tones.className = 'osk-row';
  for (const [tone, mark, name] of TONE_KEYS) tones.append(key(`${mark} ${name}`, { tone }, 'osk-tone'));
  panel.append(tones);
  const last = document.createElement('div');
  last.className = 'osk-row';
  last.append(
    key('⇧', { action: 'shift' }, 'osk-wide'),
    key(',', { char: ',' }),
    key('-', { char: '-' }),
    key('/', { char: '/' }),
    key('Dấu cách · Space', { char: ' ' }, 'osk-space'),
    key('.', { char: '.' }),
    key('⌫', { action: 'back' }, 'osk-wide'),
    key('Xong · Done', { action: 'done' }, 'osk-wide primary'),
  );
  panel.append(last);
  root.append(panel);

  let field: Field | null = null;
  let shift = false;
  const setShift = (on: boolean) => {
    shift = on;
    panel.classList.toggle('osk-shift', on);
    for (const b of panel.querySelectorAll<HTMLButtonElement>('[data-char]'))
      b.textContent = on ? b.dataset.char!.toUpperCase() : b.dataset.char!;
  };

  const edit = (text: string, caret: number) => {
    field!.value = text;
    field!.setSelectionRange(caret, caret);
    field!.dispatchEvent(new Event('input', { bubbles: true }));
  };
  const type = (b: HTMLButtonElement) => {
    if (!field) return;
    const start = field.selectionStart ?? field.value.length;
    const end = field.selectionEnd ?? start;
    const v = field.value;
    if (b.dataset.char !== undefined) {
      const ch = shift ? b.dataset.char.toUpperCase() : b.dataset.char;
      if (field.maxLength > 0 && v.length - (end - start) + ch.length > field.maxLength) return;
      edit(v.slice(0, start) + ch + v.slice(end), start + ch.length);
      if (shift) setShift(false);
    } else if (b.dataset.tone) {
      const out = applyTone(v, start, b.dataset.tone as Tone);
      if (out) edit(out.text, out.caret);
    } else if (b.dataset.action === 'back') {
      if (start !== end) edit(v.slice(0, start) + v.slice(end), start);
      else if (start > 0) {
        const head = [...v.slice(0, start)].slice(0, -1).join('');
        edit(head + v.slice(start), head.length);
      }
    } else if (b.dataset.action === 'shift') setShift(!shift);
    else if (b.dataset.action === 'done') close();
  };

  // pointerdown, not click: the field keeps the focus (and its caret) while a key is pressed.
  panel.addEventListener('pointerdown', (e) => {
    e.preventDefault();
    const b = (e.target as HTMLElement).closest<HTMLButtonElement>('button.osk-key');
    if (b) type(b);
  });
  const open = (el: Field) => {
    field = el;
    panel.hidden = false;
    document.body.classList.add('osk-open');
    el.scrollIntoView({ block: 'nearest' });
  };
  function close() {
    field?.blur();
    field = null;
    panel.hidden = true;
    document.body.classList.remove('osk-open');
    setShift(false);
  }
  document.addEventListener('focusin', (e) => (isTextField(e.target as Element) ? open(e.target as Field) : undefined));
  document.addEventListener('focusout', () => {
    // Focus moving to another field opens it there; moving elsewhere (or nowhere) closes it.
    setTimeout(() => (isTextField(document.activeElement) ? undefined : field && !panel.hidden && close()), 0);
  });
  return { close };
}
