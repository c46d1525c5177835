import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLine } from '../../common/protocols/tesira-ttp/index.js';
import { openPtyPair, type PtyPair } from '../../common/pty/socat-pair.js';
import { createTesiraDspSim, type TesiraDspSim } from './index.js';
import { Terminal } from './terminal.test-helper.js';

describe('Tesira simulator on RS-232', () => {
  let pair: PtyPair;
  let sim: TesiraDspSim;
  let term: Terminal;
  beforeAll(async () => {
    pair = await openPtyPair();
    term = await Terminal.open(pair.deviceEnd);
    sim = createTesiraDspSim({
      path: pair.simEnd,
      blocks: [
        { tag: 'Level1', type: 'level', channels: 2 },
        { tag: 'Room Mutes', type: 'mute', channels: 2 },
        { tag: 'Meter1', type: 'meter', channels: 2 },
      ],
    });
    await sim.start();
  });
  afterAll(async () => {
    await sim.stop();
    await term.close();
    await pair.close();
  });

  it('greets like a freshly booted server', async () => {
    await expect.poll(() => term.lines).toContain('Welcome to the Tesira Text Protocol Server...');
  });

  it('echoes commands and answers get/set like the manual shows', async () => {
    expect(await term.ask('Level1 set level 1 -3.0')).toEqual(['Level1 set level 1 -3.0', '+OK']);
    expect(await term.ask('Level1 get level 1')).toEqual(['Level1 get level 1', '+OK "value":-3.000000']);
    expect(await term.ask('"Room Mutes" set mute 2 true')).toEqual(['"Room Mutes" set mute 2 true', '+OK']);
    expect((await term.ask('"Room Mutes" get mute 2')).at(-1)).toBe('+OK "value":true');
    expect(sim.level('Level1', 1)).toBe(-3);
    expect(sim.mute('Room Mutes', 2)).toBe(true);
    expect((await term.ask('Level1 set level 1 12')).at(-1)).toBe('+OK');
    expect((await term.ask('Level1 get levels')).at(-1)).toBe('+OK "value":[12.000000 0.000000]');
    expect((await term.ask('Level1 increment level 1 5')).at(-1)).toBe('+OK'); // a nudge stops at maxLevel
    expect(sim.level('Level1', 1)).toBe(12);
  });

  it('answers errors in Tesira wording', async () => {
    const last = async (cmd: string) => (await term.ask(cmd)).at(-1);
    expect(await last('Room Mutes get mute 1')).toBe('-ERR address not found: {"deviceId":0 "classCode":0 "instanceNum":0}');
    expect(await last('Level1 get level 9')).toBe('-ERR INVALID_PARAMETER Index out of range:channelIndex min:1 max:2 received:9');
    expect(await last('Level1 set level 1')).toBe('-ERR Parse error at 18: not enough parameters supplied');
    expect(await last('Level1 set level 1 loud')).toBe('-ERR Parse error at 19: could not parse value');
    expect(await last('Level1 get gain 1')).toMatch(/^-ERR 'gain' is not supported by/);
    expect(await last('Level1 Get level 1')).toMatch(/^-ERR Parse error at 7: verb was not one/);
    expect(await last('DEVICE recallPreset 4242')).toMatch(/^-ERR /);
  });

  it('recalls presets and publishes subscribed meters at the requested rate', async () => {
    expect((await term.ask('DEVICE recallPreset 1002')).at(-1)).toBe('+OK');
    expect(sim.mute('Room Mutes', 1)).toBe(true);
    const reply = await term.ask('Meter1 subscribe level 1 mic 100');
    expect(parseLine(reply.at(-2)!)).toMatchObject({ kind: 'publish', token: 'mic' });
    const from = term.lines.length;
    const values = () =>
      term.lines
        .slice(from)
        .map(parseLine)
        .filter((l) => l.kind === 'publish')
        .map((l) => (l as { value: number }).value);
    await expect.poll(() => values().length, { timeout: 5000 }).toBeGreaterThanOrEqual(4);
    expect(values().every((v) => v >= -60 && v <= -10)).toBe(true);
    expect((await term.ask('Meter1 unsubscribe level 1 mic')).at(-1)).toBe('+OK');
  });

  it('faults: protocol errors, garbage, latency', async () => {
    await sim.setFaults({ protocolError: true });
    expect((await term.ask('Level1 get level 2')).at(-1)).toMatch(/^-ERR/);
    await sim.setFaults({ protocolError: false, garbage: true });
    const from = term.lines.length;
    term.port.write('Level1 get level 2\n');
    await expect.poll(() => term.lines.length).toBeGreaterThan(from);
    expect(
      term.lines
        .slice(from)
        .map(parseLine)
        .every((l) => l.kind === 'other'),
    ).toBe(true);
    await sim.setFaults({ garbage: false, latencyMs: 300 });
    const t0 = Date.now();
    await term.ask('Level1 get level 2');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(280);
    await sim.setFaults({ latencyMs: 0 });
  });
});
