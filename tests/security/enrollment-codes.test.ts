import { createServer } from 'node:http';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { answerMac, codeKey, type EnrollAnswer } from '../../common/contracts/enrollment.js';
import { enrollmentPath } from '../../common/contracts/enrollment-file.js';
import { silentLogger } from '../../common/log.js';
import { enrollBox } from '../../daemon/modules/enrollment/enroll-box.js';
import { startEnrollmentApp } from '../../hub/enrollment/test/enrollment-app.js';

// Issue 10, enrollment as an attacker tries it: a code used twice, an expired code, a wrong code, a
// code issued for another room, and a hub impostor answering the box — each refused with its reason,
// nothing registered at the hub, nothing saved on the box.

const tmp = (p: string) => mkdtempSync(join(tmpdir(), p));
const stops: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const s of stops.splice(0)) await s();
});

async function hubWithCode(room: string, now?: () => Date) {
  const hub = await startEnrollmentApp({ now });
  stops.push(hub.stop);
  const { code } = await hub.enrollment.codes.issue({ room, name: room, ttlMinutes: 60, by: 'tech' });
  return { hub, code };
}
const enroll = (hubUrl: string, code: string, room: string, stateDir = tmp('box-')) =>
  enrollBox({ hubUrl, code, room, stateDir, logger: silentLogger() }).then(
    (ok) => ({ ok: true as const, ...ok, stateDir }),
    (err: { status?: number; code?: string; message: string }) => ({ ok: false as const, err, stateDir }),
  );

describe('enrollment codes under attack', () => {
  it('a code works once: the replay is refused (403 CODE_USED), the room keeps the first key only', async () => {
    const { hub, code } = await hubWithCode('room-a');
    const first = await enroll(hub.url, code, 'room-a');
    expect(first.ok).toBe(true);
    const replay = await enroll(hub.url, code, 'room-a');
    expect(replay.ok).toBe(false);
    expect(!replay.ok && replay.err).toMatchObject({ status: 403, code: 'CODE_USED' });
    expect(!replay.ok && replay.err.message).toMatch(/already used/);
    expect(hub.registry.room('room-a')?.keys).toHaveLength(1);
    expect(existsSync(enrollmentPath(replay.stateDir))).toBe(false);
    expect(hub.audited.at(-1)).toMatchObject({ action: 'enroll', outcome: 'refused', reason: expect.stringMatching(/^CODE_USED/) });
  });

  it('an expired code is refused (403 CODE_EXPIRED) and registers nothing', async () => {
    let t = Date.parse('2026-03-01T08:00:00Z');
    const { hub, code } = await hubWithCode('room-a', () => new Date(t));
    t += 61 * 60_000;
    const r = await enroll(hub.url, code, 'room-a');
    expect(!r.ok && r.err).toMatchObject({ status: 403, code: 'CODE_EXPIRED' });
    expect(hub.registry.room('room-a')).toBeUndefined();
  });

  it("a wrong code, or another room's code, is refused (401 CODE_WRONG) and registers nothing", async () => {
    const { hub, code } = await hubWithCode('room-a');
    const guess = await enroll(hub.url, 'ZZZZ-ZZZZ-ZZZZ-ZZZZ', 'room-a');
    expect(!guess.ok && guess.err).toMatchObject({ status: 401, code: 'CODE_WRONG' });
    const otherRoom = await enroll(hub.url, code, 'room-b'); // the code is bound to room-a
    expect(!otherRoom.ok && otherRoom.err).toMatchObject({ status: 401, code: 'CODE_WRONG' });
    expect(hub.registry.rooms()).toEqual([]);
    // the right code still works afterwards
    expect((await enroll(hub.url, code, 'room-a')).ok).toBe(true);
  });

  it('a hub impostor that does not know the code cannot make the box trust it (nothing saved)', async () => {
    const { code } = await hubWithCode('room-a');
    const impostor = createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        const { nonce, publicKeyPem } = JSON.parse(raw) as { nonce: string; publicKeyPem: string };
        const fake: Omit<EnrollAnswer, 'mac'> = {
          room: 'room-a',
          name: 'room-a',
          roomTokenSealed: 'rt1.attacker',
          fingerprint: 'x',
          validFrom: new Date().toISOString(),
          hubReceiptKeyPem: publicKeyPem, // "trust my receipts"
        };
        const guessKey = codeKey('AAAA-AAAA-AAAA-AAAA', 'room-a'); // it does not know the real code
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ ...fake, mac: answerMac(guessKey, nonce, fake) }));
      });
    });
    await new Promise<void>((r) => impostor.listen(0, '127.0.0.1', r));
    stops.push(() => new Promise((r) => impostor.close(r)));
    const port = (impostor.address() as { port: number }).port;
    const r = await enroll(`http://127.0.0.1:${port}`, code, 'room-a');
    expect(!r.ok && r.err).toMatchObject({ code: 'HUB_NOT_AUTHENTIC' });
    expect(existsSync(enrollmentPath(r.stateDir))).toBe(false);
  });
});
