import { bi, setBi } from './i18n.js';
import { ApiError, seg, type Api } from './api.js';
import { CLASSIFICATIONS, explainInvalid, FIELDS, fromBook, isoToLocalInput, toBookInput } from './book-fields.js';
import { explain, toast } from './status.js';
import type { Hearing } from './types.js';

// The reception book record of the current hearing (#book-form): Vietnamese labels, the daemon's
// validation shown next to the field it names.

export function createBookForm(api: Api) {
  const form = document.getElementById('book-form') as HTMLFormElement;
  const fields = document.getElementById('book-fields')!;
  const error = document.getElementById('book-error')!;
  let hearing: Hearing | null = null;
  let bookId = ''; // the recording directory's id: the book belongs to that hearing's signed manifest

  for (const [name, label, kind, required] of FIELDS) {
    const row = document.createElement('label');
    row.className = `field field-${kind}`;
    const caption = document.createElement('span');
    caption.className = 'caption';
    setBi(caption, required ? bi(`${label.vi} *`, label.en) : label);
    let input: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;
    if (kind === 'area') input = document.createElement('textarea');
    else if (kind === 'select') {
      input = document.createElement('select');
      input.append(new Option('— chọn / choose —', ''), ...CLASSIFICATIONS.map(([v, t]) => new Option(`${t.vi} · ${t.en}`, v)));
    } else {
      input = document.createElement('input');
      input.type = kind === 'datetime' ? 'datetime-local' : 'text';
    }
    input.name = name;
    row.append(caption, input);
    fields.append(row);
  }

  const set = (values: Record<string, string>) => {
    for (const [name] of FIELDS) (form.elements.namedItem(name) as HTMLInputElement).value = values[name] ?? '';
  };
  const clearErrors = () => {
    error.replaceChildren();
    for (const el of form.querySelectorAll('.invalid')) el.classList.remove('invalid');
  };

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!hearing) return;
    clearErrors();
    const values = Object.fromEntries(FIELDS.map(([name]) => [name, (form.elements.namedItem(name) as HTMLInputElement).value]));
    try {
      await api.put(`/hearings/${seg(bookId)}/book`, toBookInput(values));
      toast(bi('Đã lưu sổ tiếp công dân', 'Reception book saved'));
      close();
    } catch (err) {
      if (err instanceof ApiError && err.status === 400) {
        const r = explainInvalid(err.field, err.message);
        setBi(error, r.text);
        const input = r.name ? (form.elements.namedItem(r.name) as HTMLElement | null) : null;
        input?.closest('label')?.classList.add('invalid');
        input?.focus();
      } else setBi(error, explain(err, bi('Sổ tiếp công dân', 'Reception book')));
    }
  });
  form.addEventListener('click', (e) => {
    if ((e.target as HTMLElement).closest('#book-cancel')) close();
  });

  async function open(current: Hearing, defaults: { rooms: string[]; officers: string[] }, recordingId: string) {
    hearing = current;
    bookId = recordingId;
    clearErrors();
    set({
      receivedAt: isoToLocalInput(current.startedAt),
      'participants.rooms': defaults.rooms.join(', '),
      'participants.officers': defaults.officers.join(', '),
    });
    form.hidden = false;
    try {
      set(fromBook(await api.get<Record<string, unknown>>(`/hearings/${seg(bookId)}/book`)));
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 404)) setBi(error, explain(err, bi('Sổ tiếp công dân', 'Reception book')));
    }
  }
  function close() {
    form.hidden = true;
    hearing = null;
  }
  return { open, close, isOpen: () => !form.hidden };
}
