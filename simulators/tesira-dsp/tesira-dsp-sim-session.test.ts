import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BANNER, parseLine } from '../../common/protocols/tesira-ttp/index.js';
import { openPtyPair, type PtyPair } from '../../common/pty/socat-pair.js';
import { createTesiraDspSim, type TesiraDspSim } from './index.js';
import { Terminal } from './terminal.test-helper.js';

// The session habits of a real unit (provenance in README.md): the TTP session lives as long as the
// unit is powered, whatever happens to the serial port; a reboot or a configuration push ends it.

const publishes = (t: Terminal, from: number, token: string) =>
  t.lines.slice(from).filter((l) => {
    const p = parseLine(l);
    return p.kind === 'publish' && p.token === token;
  }).length;

describe('Tesira simulator: the session on RS-232', () => {
  let pair: PtyPair;
  let sim: TesiraDspSim;
  let term: Terminal;
  beforeEach(async () => {
    pair = await openPtyPair();
    sim = createTesiraDspSim({ path: pair.simEnd });
    await sim.start();
    term = await Terminal.open(pair.deviceEnd);
  });
  afterEach(async () => {
    await term.close().catch(() => {});
    await sim.stop();
    await pair.close();
  });

  it('refuses a second subscription with the same label: -ERR ALREADY_SUBSCRIBED', async () => {
    expect(await term.last('Meter1 subscribe level 1 mic 100')).toBe('+OK');
    expect(await term.last('Meter1 subscribe level 1 mic 100')).toBe('-ERR ALREADY_SUBSCRIBED');
    expect(await term.last('Meter1 subscribe level 2 mic 100')).toBe('-ERR ALREADY_SUBSCRIBED');
    expect(sim.session.labels()).toEqual(['mic']);
    expect(await term.last('Meter1 unsubscribe level 1 mic')).toBe('+OK');
    expect(await term.last('Meter1 subscribe level 1 mic 100')).toBe('+OK');
  });

  it('keeps the session across a serial close and reopen: subscriptions survive, no banner', async () => {
    await term.ask('SESSION set verbose false');
    await term.ask('Meter1 subscribe level 1 mic 100');
    await term.close();
    term = await Terminal.open(pair.deviceEnd);
    const from = term.lines.length;
    await expect.poll(() => publishes(term, from, 'mic'), { timeout: 5000 }).toBeGreaterThanOrEqual(2);
    expect(term.lines).not.toContain(BANNER);
    expect(await term.last('Meter1 subscribe level 1 mic 100')).toBe('-ERR ALREADY_SUBSCRIBED');
    expect(await term.last('SESSION get verbose')).toBe('+OK false'); // the session's settings too
  });

  it('a reboot loses the subscriptions and greets with the banner', async () => {
    await term.ask('Meter1 subscribe level 1 mic 100');
    const from = term.lines.length;
    await sim.reboot(100);
    await expect.poll(() => term.lines.slice(from), { timeout: 5000 }).toContain(BANNER);
    expect(sim.session.labels()).toEqual([]);
    expect(parseLine((await term.ask('Meter1 subscribe level 1 mic 100')).at(-2)!)).toMatchObject({ kind: 'publish', token: 'mic' });
  });

  it('a configuration push ends the subscriptions silently (no banner)', async () => {
    await term.ask('Meter1 subscribe level 1 mic 100');
    sim.pushConfiguration();
    const from = term.lines.length;
    expect(await term.last('Level1 get level 1')).toBe('+OK "value":0.000000'); // still answering
    expect(term.lines.slice(from)).not.toContain(BANNER);
    expect(sim.session.labels()).toEqual([]);
    expect(await term.last('Meter1 subscribe level 1 mic 100')).toBe('+OK');
  });

  it('refuses a level outside minLevel..maxLevel instead of clamping it', async () => {
    await term.ask('Level1 set level 1 -6.0');
    expect(await term.last('Level1 set level 1 40.0')).toBe(
      '-ERR INVALID_PARAMETER Value out of range:level min:-100.000000 max:12.000000 received:40.000000',
    );
    expect(await term.last('Level1 set level 1 -120.0')).toMatch(/^-ERR INVALID_PARAMETER .*out of range/);
    expect(sim.level('Level1', 1)).toBe(-6);
  });
});
