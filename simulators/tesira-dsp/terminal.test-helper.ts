import { SerialPort } from 'serialport';
import { expect } from 'vitest';
import { LineSplitter } from '../../common/protocols/tesira-ttp/index.js';

/** A bare serial terminal on the device end, like PuTTY on COM1 (tests only). */
export class Terminal {
  readonly lines: string[] = [];
  private readonly splitter = new LineSplitter();
  private constructor(readonly port: SerialPort) {
    port.on('data', (d: Buffer) => this.lines.push(...this.splitter.push(d)));
  }

  static async open(path: string): Promise<Terminal> {
    const port = new SerialPort({ path, baudRate: 115200 });
    await new Promise((r) => port.once('open', r));
    return new Terminal(port);
  }

  /** Sends a command and returns what came back until the +OK / -ERR that answers it. */
  async ask(cmd: string): Promise<string[]> {
    const from = this.lines.length;
    const done = (l: string) => /^(\+OK|-ERR)/.test(l) || / \+OK$/.test(l);
    this.port.write(`${cmd}\n`);
    await expect.poll(() => this.lines.slice(from).some(done), { timeout: 5000 }).toBe(true);
    return this.lines.slice(from, this.lines.findIndex((l, i) => i >= from && done(l)) + 1);
  }

  /** The reply line alone. */
  async last(cmd: string): Promise<string | undefined> {
    return (await this.ask(cmd)).at(-1);
  }

  close(): Promise<void> {
    return new Promise((r) => this.port.close(() => r()));
  }
}
