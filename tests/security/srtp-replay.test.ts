import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  ProtectionProfileAeadAes128Gcm,
  ProtectionProfileAes128CmHmacSha1_80,
  RtcpSenderInfo,
  RtcpSrPacket,
  RtpHeader,
  SrtcpSession,
  SrtpAuthenticationError,
  SrtpSession,
} from 'werift';

// Issue 10 (low finding): werift had no SRTP/SRTCP replay window (RFC 3711 §3.3.2). An attacker on the path
// could send a captured packet again and the receiving session decrypted it a second time. patches/
// (werift+<version>.patch, applied by bootstrap) adds a 64-packet window per SSRC; these tests drive the
// receiving sessions werift's RTCDtlsTransport builds, with packets made by a real sending session.

const PROFILES = [
  { name: 'AES_CM_128_HMAC_SHA1_80', profile: ProtectionProfileAes128CmHmacSha1_80, salt: 14 },
  { name: 'AEAD_AES_128_GCM', profile: ProtectionProfileAeadAes128Gcm, salt: 12 },
] as const;

function keyPair(profile: number, saltLength: number) {
  const a = { key: randomBytes(16), salt: randomBytes(saltLength) };
  const b = { key: randomBytes(16), salt: randomBytes(saltLength) };
  const keys = (l: typeof a, r: typeof a) => ({
    profile,
    keys: { localMasterKey: l.key, localMasterSalt: l.salt, remoteMasterKey: r.key, remoteMasterSalt: r.salt },
  });
  return { sender: keys(a, b), receiver: keys(b, a) };
}

/** What the receiving session does with a packet: 'ok', or the name of the error it dropped it with. */
function fate(decrypt: (b: Buffer) => Buffer, packet: Buffer): string {
  try {
    decrypt(packet);
    return 'ok';
  } catch (e) {
    // werift's transport drops (and only drops) SrtpAuthenticationError; anything else would escape
    expect(e).toBeInstanceOf(SrtpAuthenticationError);
    return (e as Error).name;
  }
}

describe.each(PROFILES)('SRTP replay window ($name)', ({ profile, salt }) => {
  const setup = () => {
    const pair = keyPair(profile, salt);
    const tx = new SrtpSession(pair.sender);
    const rx = new SrtpSession(pair.receiver);
    const packet = (seq: number, ssrc = 0x1234abcd) =>
      tx.encrypt(Buffer.from(`media ${seq}`), new RtpHeader({ sequenceNumber: seq, ssrc, payloadType: 96, timestamp: seq * 3000 }));
    return { packet, rx: (p: Buffer) => fate(rx.decrypt, p) };
  };

  it('passes in-order and slightly reordered packets, drops each replay (same SSRC and index)', () => {
    const { packet, rx } = setup();
    const p = [100, 101, 102, 103, 104, 105].map((s) => packet(s));
    expect([p[0], p[1], p[3], p[2], p[5], p[4]].map(rx)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'ok']);
    expect([p[0], p[2], p[5], p[4]].map(rx)).toEqual(Array(4).fill('SrtpReplayError'));
    expect(rx(packet(106))).toBe('ok');
  });

  it('drops a packet older than the 64-packet window, accepts one late inside it', () => {
    const { packet, rx } = setup();
    const all = Array.from({ length: 200 }, (_, i) => packet(1000 + i));
    const heldBack = new Set([1010, 1150]); // 1010 arrives 189 packets late, 1150 49 packets late
    for (const [i, p] of all.entries()) if (!heldBack.has(1000 + i)) expect(rx(p)).toBe('ok');
    expect(rx(all[10] as Buffer)).toBe('SrtpReplayError');
    expect(rx(all[150] as Buffer)).toBe('ok');
    expect(rx(all[150] as Buffer)).toBe('SrtpReplayError');
  });

  it('keeps the window across the sequence-number wrap (rollover counter)', () => {
    const { packet, rx } = setup();
    const seqs = [65530, 65531, 65532, 65533, 65534, 65535, 0, 1, 2, 3];
    const p = seqs.map((s) => packet(s));
    expect(p.map(rx)).toEqual(Array(seqs.length).fill('ok'));
    expect(rx(p[4] as Buffer)).toBe('SrtpReplayError'); // 65534 of the previous cycle
    expect(rx(p[7] as Buffer)).toBe('SrtpReplayError'); // 1 of this cycle
    expect(rx(packet(4))).toBe('ok');
  });

  it('keeps one window per SSRC, and a forged packet does not move it', () => {
    const { packet, rx } = setup();
    const a = packet(7, 1);
    const b = packet(7, 2);
    expect([a, b].map(rx)).toEqual(['ok', 'ok']);
    expect(rx(b)).toBe('SrtpReplayError');
    const forged = Buffer.from(packet(40_000, 1));
    forged[forged.length - 1] ^= 0xff; // far ahead, bad tag: were it accepted, 8 would fall out of the window
    expect(rx(forged)).toBe('SrtpAuthenticationError');
    expect(rx(packet(8, 1))).toBe('ok');
  });
});

describe.each(PROFILES)('SRTCP replay window ($name)', ({ profile, salt }) => {
  it('passes new and reordered reports, drops replays and reports older than the window', () => {
    const pair = keyPair(profile, salt);
    const tx = new SrtcpSession(pair.sender);
    const rx = new SrtcpSession(pair.receiver);
    const sr = (n: number) =>
      new RtcpSrPacket({
        ssrc: 0x5eed,
        senderInfo: new RtcpSenderInfo({ ntpTimestamp: BigInt(n), rtpTimestamp: n, packetCount: n, octetCount: n }),
      }).serialize();
    const p = Array.from({ length: 100 }, (_, i) => tx.encrypt(sr(i)));
    const fateOf = (q: Buffer | undefined) => fate(rx.decrypt, q as Buffer);
    expect([p[0], p[2], p[1]].map(fateOf)).toEqual(['ok', 'ok', 'ok']);
    expect([p[0], p[1], p[2]].map(fateOf)).toEqual(Array(3).fill('SrtpReplayError'));
    for (const q of p.slice(4)) expect(fateOf(q)).toBe('ok'); // index 4 … 100
    expect(fateOf(p[3])).toBe('SrtpReplayError'); // never seen, but 96 behind: too old
    expect(fateOf(p[60])).toBe('SrtpReplayError');
  });
});
