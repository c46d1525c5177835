import { StringDecoder } from 'node:string_decoder';

/**
 * Cuts a serial byte stream into lines. Tesira ends lines with CR LF, sometimes CR NUL (Telnet
 * heritage); commands may end with LF alone. Any of CR, LF, NUL ends a line and empty lines are
 * dropped, so a terminator split across two chunks never yields a phantom line.
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';
  /** Bytes thrown away because a "line" grew past maxLine without a terminator (noise on the wire). */
  discarded = 0;

  constructor(private readonly maxLine = 4096) {}

  push(chunk: Buffer | string): string[] {
    this.pending += typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    const parts = this.pending.split(/[\r\n\0]/);
    this.pending = parts.pop() ?? '';
    if (this.pending.length > this.maxLine) {
      this.discarded += this.pending.length;
      this.pending = '';
    }
    return parts.filter((p) => p.trim() !== '');
  }

  reset(): void {
    this.pending = '';
    this.decoder.end();
  }
}
