import { parseArgs } from 'node:util';
import { discoverCameras } from '../discovery/index.js';

export const usage = `Usage: reception discover [--timeout MS] [--target HOST[:PORT]]... [--json]

Tìm camera ONVIF trên mạng (WS-Discovery).
Find ONVIF cameras on the network (WS-Discovery): one line per camera (address, name, hardware, XAddrs).

Options:
      --timeout MS    wait this long for answers (default 3000)
      --target HOST[:PORT]  probe HOST by unicast instead of the multicast group 239.255.255.250:3702
                      (another subnet; repeatable)
      --json          print the cameras as JSON
  -h, --help          this help

Exit code 1: no camera answered.
`;

/** `reception discover`: WS-Discovery probe; one line per camera found. */
export async function run(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      timeout: { type: 'string', default: '3000' },
      target: { type: 'string', multiple: true },
      json: { type: 'boolean', default: false },
    },
  });
  const found = await discoverCameras({ timeoutMs: Number(values.timeout), targets: values.target });
  if (values.json) process.stdout.write(JSON.stringify(found, null, 2) + '\n');
  else if (found.length === 0) process.stdout.write('Không tìm thấy camera ONVIF nào / no ONVIF camera answered\n');
  else for (const c of found) process.stdout.write(`${c.address}\t${c.name ?? '?'}\t${c.hardware ?? '?'}\t${c.xaddrs.join(' ')}\n`);
  return found.length > 0 ? 0 : 1;
}
