import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { AnswerError, answersAsker, parse, terminalAsker } from './asker.js';
import { check, type ProgressDoc } from './progress.js';
import { reportHtml } from './report-html.js';

// The two ways of answering (file, terminal) and the report's HTML.

const sink = () => {
  const said: string[] = [];
  return { said, out: new Writable({ write: (c, _e, done) => (said.push(String(c)), done()) }) };
};

describe('answers', () => {
  it('from a file: the value, else the default, else an error naming the key (Vietnamese, then English)', async () => {
    const { out } = sink();
    const ask = answersAsker({ hub: { url: 'http://hub', bandwidthMb: 'lots' } }, 'a.json', out);
    expect(await ask.ask({ key: 'hub.url', vi: 'Địa chỉ', en: 'URL' })).toBe('http://hub');
    expect(await ask.ask({ key: 'selfTest.seconds', vi: 'Giây', en: 'Seconds', default: 30 })).toBe(30);
    await expect(ask.ask({ key: 'hub.code', vi: 'Mã ghi danh', en: 'Enrollment code' })).rejects.toThrow(
      'thiếu câu trả lời "hub.code" trong a.json (Mã ghi danh) / answer "hub.code" missing in a.json (Enrollment code)',
    );
    await expect(ask.ask({ key: 'hub.bandwidthMb', vi: 'MB', en: 'MB', parse: parse.number(0.1, 8) })).rejects.toThrow(AnswerError);
  });

  it('at the terminal: the default on Enter, a wrong answer said and asked again', async () => {
    const input = new PassThrough();
    const { said, out } = sink();
    const ask = terminalAsker(input, out);
    input.write('\n');
    expect(await ask.ask({ key: 'a', vi: 'Mức', en: 'Level', default: -6, parse: parse.number(-100, 12) })).toBe(-6);
    setTimeout(() => input.write('99\n-10\n'), 10);
    expect(await ask.ask({ key: 'a', vi: 'Mức', en: 'Level', default: -6, parse: parse.number(-100, 12) })).toBe(-10);
    expect(said.join('')).toContain('a number from -100 to 12');
    ask.close();
  });
});

describe('report', () => {
  const dir = mkdtempSync(join(tmpdir(), 'report-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('embeds each preset snapshot and the meter trace, escapes what the devices said, Vietnamese first', async () => {
    const jpeg = join(dir, 'p.jpg');
    writeFileSync(jpeg, Buffer.from([0xff, 0xd8, 0xff, 0xd9]));
    const doc: ProgressDoc = {
      startedAt: '2026-12-03T14:00:00Z',
      steps: {
        cameras: {
          done: true,
          at: '',
          checks: [check('cameras', 'cam1: login', true, 'model <b>X</b>')],
          data: { cameras: [{ id: 'cam1', presets: [{ name: 'Công dân', token: '1', jpeg }] }] },
        },
        dsp: {
          done: false,
          at: '',
          checks: [check('dsp', 'meter', false, 'no reading')],
          data: {
            channel: 'mic',
            meterTrace: [
              { t: 0, db: -40 },
              { t: 100, db: -20 },
            ],
          },
        },
      },
    };
    const html = await reportHtml({ room: { id: 'room-a', name: 'Phòng A' }, doc, state: 'failed', at: '2026-12-03T14:10:00Z' });
    expect(html).toContain(`src="data:image/jpeg;base64,${Buffer.from([0xff, 0xd8, 0xff, 0xd9]).toString('base64')}"`);
    expect(html).toMatch(/<svg[^>]*>.*<polyline[^>]*points="40\.0,[\d.]+ 590\.0,[\d.]+"/s);
    expect(html).toContain('model &#60;b&#62;X&#60;/b&#62;');
    expect(html).toContain('Chưa đạt / Failed: 1 đạt / passed, 1 không đạt / failed');
    expect(html).toContain('@media print');
    expect(html).toContain('Chưa làm / not done'); // steps not reached yet are listed too
  });
});
