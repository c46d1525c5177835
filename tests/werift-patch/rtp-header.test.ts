// patches/werift+0.25.2.patch, issue 15 (send path): RTP header bits by arithmetic, ntpTime without arrays.
// Each patched function is compared with the code it replaced (copied here from werift 0.25.2) on every
// input that matters: the output must be the same, bit for bit.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { getBit, ntpTime, RtpHeader } from 'werift';

// werift 0.25.2's getBit, as it was
function getBitBefore(bits: number, startIndex: number, length = 1) {
  let bin = bits.toString(2).split('');
  bin = [...Array(8 - bin.length).fill('0'), ...bin];
  return Number.parseInt(bin.slice(startIndex, startIndex + length).join(''), 2);
}

// werift 0.25.2's BitWriter, which serialize() used for the first two octets
function bitWriter() {
  let value = 0;
  const w = {
    set(size: number, startIndex: number, v: number) {
      v &= (1 << size) - 1;
      value |= v << (8 - size - startIndex);
      return w;
    },
    get value() {
      return value;
    },
  };
  return w;
}

describe('getBit', () => {
  it('gives what the string path gave, for every byte and every field inside it', () => {
    for (let byte = 0; byte < 256; byte++)
      for (let start = 0; start < 8; start++)
        for (let length = 1; start + length <= 8; length++) expect(getBit(byte, start, length)).toBe(getBitBefore(byte, start, length));
  });

  it('keeps the old answers outside a byte (the string path still serves them)', () => {
    for (const [bits, start, length] of [
      [5, 6, 4], // a field running past the byte: truncated
      [5, 3, 0], // empty field: NaN
    ] as const)
      expect(getBit(bits, start, length)).toEqual(getBitBefore(bits, start, length));
    expect(() => getBit(300, 0, 2)).toThrow(RangeError); // more than 8 bits, as before
  });
});

describe('RtpHeader', () => {
  const csrcs = [[], [1], [0xffffffff, 2, 3], Array.from({ length: 15 }, (_, i) => i)];
  const extensionSets = [
    [],
    [{ id: 1, payload: Buffer.from([0xaa]) }],
    [
      { id: 3, payload: Buffer.from([1, 2, 3]) },
      { id: 5, payload: Buffer.from([9, 8]) },
    ],
  ];

  it('serializes V P X CC and M PT as BitWriter did, and parses them back', () => {
    for (const version of [0, 1, 2, 3])
      for (const padding of [false, true])
        for (const marker of [false, true])
          for (const payloadType of [0, 96, 111, 127])
            for (const csrc of csrcs)
              for (const extensions of extensionSets) {
                const header = new RtpHeader({
                  version,
                  padding,
                  marker,
                  payloadType,
                  csrc,
                  extensions,
                  sequenceNumber: 65535,
                  timestamp: 0xfffffffe,
                  ssrc: 0x12345678,
                });
                const buf = header.serialize(header.serializeSize);
                const extension = extensions.length > 0;
                const b0 = bitWriter().set(2, 0, version);
                if (padding) b0.set(1, 2, 1);
                if (extension) b0.set(1, 3, 1);
                b0.set(4, 4, csrc.length);
                const b1 = bitWriter();
                if (marker) b1.set(1, 0, 1);
                b1.set(7, 1, payloadType);
                expect([buf[0], buf[1]]).toEqual([b0.value, b1.value]);

                const back = RtpHeader.deSerialize(buf);
                expect({ ...back, extensions: back.extensions.map((e) => ({ id: e.id, payload: [...e.payload] })) }).toMatchObject({
                  version,
                  padding,
                  extension,
                  marker,
                  payloadType,
                  csrc,
                  csrcLength: csrc.length,
                  sequenceNumber: 65535,
                  timestamp: 0xfffffffe,
                  ssrc: 0x12345678,
                  extensions: extensions.map((e) => ({ id: e.id, payload: [...e.payload] })),
                });
              }
  });

  it('masks out-of-range fields to their width, as BitWriter did', () => {
    const buf = new RtpHeader({ version: 6, payloadType: 200, csrc: [] }).serialize(12);
    expect([buf[0], buf[1]]).toEqual([bitWriter().set(2, 0, 6).set(4, 4, 0).value, bitWriter().set(7, 1, 200).value]);
  });
});

describe('ntpTime', () => {
  afterEach(() => vi.restoreAllMocks());

  // werift 0.25.2's ntpTime from the same clock reading (bufferWriter([4, 4], [sec, msec]).readBigUInt64BE())
  function ntpTimeBefore(nowMs: number) {
    const now = performance.timeOrigin + nowMs - Date.UTC(1900, 0, 1);
    const [sec, msec] = (now / 1e3).toString().split('.').map(Number);
    const buf = Buffer.alloc(8);
    buf.writeUIntBE(sec, 0, 4);
    buf.writeUIntBE(msec, 4, 4); // undefined (no fraction) writes 0
    return buf.readBigUInt64BE();
  }

  it('gives the value of the old code for the same clock reading', () => {
    const readings = [0, 1, 0.5, 1000, 123.456789, 7.25e6, 86_400_000.001];
    for (let i = 0; i < 2000; i++) readings.push(Math.random() * 1e9);
    // a reading that makes the seconds a whole number (no fraction in the decimal text)
    readings.push(
      Math.ceil((performance.timeOrigin - Date.UTC(1900, 0, 1)) / 1000) * 1000 - (performance.timeOrigin - Date.UTC(1900, 0, 1)),
    );
    for (const reading of readings) {
      vi.spyOn(performance, 'now').mockReturnValue(reading);
      expect(ntpTime()).toBe(ntpTimeBefore(reading));
    }
  });
});
