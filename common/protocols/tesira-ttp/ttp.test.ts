import { describe, expect, it } from 'vitest';
import { LineSplitter, formatOk, formatPublish, isOutOfRange, okValue, parseLine, splitCommand, ttp } from './index.js';

// Reply lines as printed in Biamp's "TTP Syntax", "TTP Responses" and "TTP Subscriptions" pages.
const DOC = {
  okLevel: '+OK "value":-10.000000',
  okMixer: '+OK "value":0.000000',
  okBool: '+OK "value":true',
  okCall: '+OK "time":"12:00" "number":"503-367-3568" "line":"2"',
  okCallConcise: '+OK "12:00" "503-367-3568" "2"',
  okConcise: '+OK 2',
  okList: '+OK "list":["123" "AudioMeter1" "AudioMeter2" "AudioMeter3" "DEVICE" "Input1" "Mixer1" "Mute1" "Level1" "Output1"]',
  errAddress: '-ERR address not found: {"deviceId":0 "classCode":0 "instanceNum":0}',
  errParse: '-ERR Parse error at 8: verb was not one of the commands supported by Services',
  errAttr: "-ERR 'Aliases' is not supported by TextSession::Attributes",
  errIndex: '-ERR INVALID_PARAMETER Index out of range:channelIndex min:1 max:8 received:10',
  cannotDeliver: '-CANNOT_DELIVER',
  // Handled by PepperDash/epi-biamp-tesira TesiraDsp.cs and rohankapoorcom/tesiratomqtt src/tesira.py.
  alreadySubscribed: '-ERR ALREADY_SUBSCRIBED',
  publish: '! "publishToken":"MyLevelName" "value":-98.099998',
  publishEmpty: '! "publishToken":"" "value":-100.000000',
  publishConcise: '! "myLevelName" -40.244328',
  publishList: '! "publishToken":"levels" "value":[-100.000000 -42.500000]',
  banner: 'Welcome to the Tesira Text Protocol Server...',
};

describe('TTP commands', () => {
  it('builds the driver commands', () => {
    expect(ttp.setMute('Mute1', 1, true)).toBe('Mute1 set mute 1 true');
    expect(ttp.setLevel('Level1', 1, -3)).toBe('Level1 set level 1 -3.0');
    expect(ttp.setLevel('Level1', 2, -3.25)).toBe('Level1 set level 2 -3.25');
    expect(ttp.getLevel('Level1', 1)).toBe('Level1 get level 1');
    expect(ttp.getMute('Mute1', 1)).toBe('Mute1 get mute 1');
    expect(ttp.recallPreset(1001)).toBe('DEVICE recallPreset 1001');
    expect(ttp.subscribe('Meter1', 'level', 1, 'mic', 100)).toBe('Meter1 subscribe level 1 mic 100');
    expect(ttp.unsubscribe('Meter1', 'level', 1, 'mic')).toBe('Meter1 unsubscribe level 1 mic');
    expect(ttp.setVerbose(true)).toBe('SESSION set verbose true');
  });

  it('quotes instance tags with spaces, and splits them back', () => {
    const line = ttp.getLevel('my level 2', 1);
    expect(line).toBe('"my level 2" get level 1');
    expect(splitCommand(line)?.tokens).toEqual(['my level 2', 'get', 'level', '1']);
    expect(splitCommand('Mixer1 set crosspoint "1""1" true')?.tokens).toEqual(['Mixer1', 'set', 'crosspoint', '1', '1', 'true']);
    expect(splitCommand('"broken get level 1')).toBeNull();
  });
});

describe('TTP replies', () => {
  it('reads +OK values, verbose and concise', () => {
    for (const [line, v] of [
      [DOC.okLevel, -10],
      [DOC.okMixer, 0],
      [DOC.okBool, true],
      [DOC.okConcise, 2],
    ] as const) {
      const r = parseLine(line);
      expect(r.kind).toBe('ok');
      if (r.kind === 'ok') expect(okValue(r)).toBe(v);
    }
    expect(parseLine('+OK')).toEqual({ kind: 'ok', fields: {}, values: [] });
    expect(parseLine(DOC.okCall)).toMatchObject({ fields: { time: '12:00', number: '503-367-3568', line: '2' } });
    expect(parseLine(DOC.okCallConcise)).toMatchObject({ values: ['12:00', '503-367-3568', '2'] });
    expect(parseLine(DOC.okList)).toMatchObject({ fields: { list: expect.arrayContaining(['Mute1', 'Level1']) } });
  });

  it('reads errors', () => {
    expect(parseLine(DOC.errAddress)).toEqual({ kind: 'err', reason: DOC.errAddress.slice(5) });
    expect(parseLine(DOC.errParse)).toMatchObject({ kind: 'err', reason: expect.stringMatching(/^Parse error at 8/) });
    expect(parseLine(DOC.errAttr)).toMatchObject({ kind: 'err' });
    expect(parseLine(DOC.errIndex)).toMatchObject({ kind: 'err', reason: expect.stringMatching(/^INVALID_PARAMETER/) });
    expect(parseLine(DOC.cannotDeliver)).toEqual({ kind: 'err', reason: 'CANNOT_DELIVER' });
    expect(parseLine(DOC.alreadySubscribed)).toEqual({ kind: 'err', reason: 'ALREADY_SUBSCRIBED' });
    expect(isOutOfRange(DOC.errIndex.slice(5))).toBe(true);
    expect(isOutOfRange(DOC.errAddress.slice(5))).toBe(false);
  });

  it('reads publish lines, including lists, empty tokens, concise form and a trailing +OK', () => {
    expect(parseLine(DOC.publish)).toEqual({ kind: 'publish', token: 'MyLevelName', value: -98.099998, ok: false });
    expect(parseLine(DOC.publishEmpty)).toMatchObject({ token: '', value: -100 });
    expect(parseLine(DOC.publishConcise)).toMatchObject({ token: 'myLevelName', value: -40.244328 });
    expect(parseLine(DOC.publishList)).toMatchObject({ value: [-100, -42.5] });
    expect(parseLine(`${DOC.publish} +OK`)).toMatchObject({ kind: 'publish', ok: true });
  });

  it('classifies the banner, echoes and garbage without throwing', () => {
    expect(parseLine(DOC.banner)).toEqual({ kind: 'banner' });
    expect(parseLine('Level1 get level 1')).toEqual({ kind: 'other', text: 'Level1 get level 1' });
    for (const junk of ['+OK "value":', '+OK "value":[1 2', '! "publishToken":"x"', '\u0000\u00ff#@!', '+OKAY'])
      expect(parseLine(junk).kind).toBe('other');
  });

  it('formats what it parses (simulator side)', () => {
    expect(formatOk(-3)).toBe('+OK "value":-3.000000');
    expect(formatOk(true, false)).toBe('+OK true');
    expect(parseLine(formatPublish('mic', [-1, -2]))).toMatchObject({ token: 'mic', value: [-1, -2] });
  });
});

describe('LineSplitter', () => {
  it('handles CRLF, LF, CR NUL and chunks split anywhere', () => {
    const text = `${DOC.banner}\r\n\r\nLevel1 get level 1\r\n${DOC.okLevel}\r\0${DOC.publish}\n`;
    for (let cut = 1; cut < text.length; cut += 7) {
      const s = new LineSplitter();
      const lines = [...s.push(text.slice(0, cut)), ...s.push(text.slice(cut))];
      expect(lines).toEqual([DOC.banner, 'Level1 get level 1', DOC.okLevel, DOC.publish]);
    }
  });

  it('splits multi-byte characters across chunks and drops runaway garbage', () => {
    const s = new LineSplitter(16);
    const bytes = Buffer.from('é+OK\r\n');
    expect([...s.push(bytes.subarray(0, 1)), ...s.push(bytes.subarray(1))]).toEqual(['é+OK']);
    expect(s.push('x'.repeat(40))).toEqual([]);
    expect(s.discarded).toBe(40);
    expect(s.push('+OK\r\n')).toEqual(['+OK']);
  });
});
