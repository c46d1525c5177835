import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';

// Where `reception hub user add|passwd` gets a password: --password-file F (its first line), or typed
// twice on the terminal without echo, or one line on a piped stdin. Never a command-line argument
// (it would show in `ps` and the shell's history).

export function passwordFromFile(file: string): string {
  return (readFileSync(file, 'utf8').split(/\r?\n/)[0] ?? '').trimEnd();
}

/** One line; typed characters are not echoed (readline writes them to a sink). */
function readLine(prompt: string, input: NodeJS.ReadableStream): Promise<string> {
  const silent = new Writable({ write: (_c, _e, cb) => cb() });
  const rl = createInterface({ input, output: silent, terminal: (input as { isTTY?: boolean }).isTTY === true });
  process.stderr.write(prompt);
  return new Promise((resolve, reject) => {
    rl.once('line', (line) => {
      resolve(line);
      rl.close();
      process.stderr.write('\n');
    });
    rl.once('close', () => reject(new Error('no password given (stdin closed)')));
  });
}

/** Asks on the terminal (twice, no echo) or reads one line from a piped stdin. */
export async function promptPassword(input: NodeJS.ReadableStream = process.stdin): Promise<string> {
  const tty = (input as { isTTY?: boolean }).isTTY === true;
  const first = await readLine('Mật khẩu / Password: ', input);
  if (!tty) return first;
  const again = await readLine('Nhập lại / Again: ', input);
  if (again !== first) throw new Error('hai lần nhập không khớp / the two passwords differ');
  return first;
}
