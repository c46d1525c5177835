import { SerialPort } from 'serialport';
import { LineSplitter, parseLine } from '../../common/protocols/tesira-ttp/index.js';

// Is a Tesira on this serial port? One TTP command (`SESSION get aliases`, harmless) and up to `waitMs` for
// its answer. A `+OK`, `-ERR` or the server's banner is TTP; anything else is named as not a Tesira, with
// the bytes seen (printable characters as they are, the rest as \xNN) so the technician can tell a camera's
// VISCA answer, a modem or line noise apart.

export type Probe = { path: string; tesira: true; figure: string } | { path: string; tesira: false; figure: string };

const PROBE = 'SESSION get aliases\n';

/** Bytes → text a person can read: printable ASCII kept, the rest \xNN; at most `max` bytes. */
export function showBytes(b: Buffer, max = 48): string {
  const shown = [...b.subarray(0, max)]
    .map((c) => (c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : `\\x${c.toString(16).padStart(2, '0')}`))
    .join('');
  return b.length > max ? `${shown}… (${b.length} bytes)` : shown;
}

export async function probeTesira(path: string, baudRate = 115200, waitMs = 2000): Promise<Probe> {
  const port = new SerialPort({ path, baudRate, autoOpen: false });
  try {
    await new Promise<void>((res, rej) => port.open((e) => (e ? rej(e) : res())));
  } catch (err) {
    return { path, tesira: false, figure: `cannot open: ${(err as Error).message}` };
  }
  const seen: Buffer[] = [];
  const splitter = new LineSplitter();
  try {
    await new Promise<void>((res) => port.flush(() => res()));
    const answered = new Promise<string | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), waitMs);
      port.on('data', (d: Buffer) => {
        seen.push(d);
        for (const line of splitter.push(d)) {
          const kind = parseLine(line).kind;
          if (kind === 'ok' || kind === 'err' || kind === 'banner') {
            clearTimeout(timer);
            resolve(line);
          }
        }
      });
    });
    port.write(PROBE);
    const line = await answered;
    if (line) return { path, tesira: true, figure: `TTP answer "${line.slice(0, 80)}"` };
    const bytes = Buffer.concat(seen);
    return {
      path,
      tesira: false,
      figure: bytes.length
        ? `không phải Tesira / not a Tesira: answered "${showBytes(bytes)}" to ${JSON.stringify(PROBE.trim())}`
        : `không trả lời / no answer in ${waitMs} ms`,
    };
  } finally {
    await new Promise<void>((res) => (port.isOpen ? port.close(() => res()) : res()));
  }
}
