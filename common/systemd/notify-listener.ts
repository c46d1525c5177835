import { spawn } from 'node:child_process';
import { join } from 'node:path';

/**
 * Tests: a real AF_UNIX SOCK_DGRAM socket standing in for PID 1's notify socket (Node has none, so a
 * python3 child binds it and prints each datagram as a JSON line). Each message is kept with the time it
 * arrived, so tests measure ping intervals and gaps. BARRIER=1 (systemd-notify's sync) is left out.
 */
interface NotifyMessage {
  /** Date.now() when the line reached us. */
  at: number;
  fields: string[];
}

const RECEIVER = `
import ctypes, json, socket, sys
ctypes.CDLL(None).prctl(1, 15)  # PR_SET_PDEATHSIG: SIGTERM when the test process dies
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
print(json.dumps("bound"), flush=True)
while True:
    print(json.dumps(s.recv(65536).decode()), flush=True)
`;

export async function startNotifyListener(dir: string) {
  const path = join(dir, 'notify.sock');
  const messages: NotifyMessage[] = [];
  const receiver = spawn('/usr/bin/python3', ['-c', RECEIVER, path], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    let buf = '';
    receiver.once('error', reject);
    receiver.once('exit', (code) => reject(new Error(`notify receiver exited ${code}`)));
    receiver.stdout!.on('data', (b: Buffer) => {
      buf += b.toString();
      const lines = buf.split('\n');
      buf = lines.pop()!;
      for (const line of lines) {
        const msg = JSON.parse(line) as string;
        if (msg === 'bound') resolve();
        else if (msg !== 'BARRIER=1') messages.push({ at: Date.now(), fields: msg.split('\n') });
      }
    });
  });
  /** Messages carrying `field` (e.g. 'WATCHDOG=1'), optionally only those after `since`. */
  const withField = (field: string, since = 0) => messages.filter((m) => m.at >= since && m.fields.includes(field));
  return {
    path,
    messages,
    withField,
    count: (field: string, since = 0) => withField(field, since).length,
    /** Gaps (ms) between consecutive arrivals of `field`. */
    gaps(field: string, since = 0, until = Number.POSITIVE_INFINITY) {
      const at = withField(field, since)
        .map((m) => m.at)
        .filter((t) => t <= until);
      return at.slice(1).map((t, i) => t - at[i]!);
    },
    close: () => void receiver.kill(),
  };
}
export type NotifyListener = Awaited<ReturnType<typeof startNotifyListener>>;
