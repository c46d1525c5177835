import { parseArgs } from 'node:util';
import { discoverCameras } from '../discovery/index.js';

/** `reception discover`: WS-Discovery probe; one line per camera found. */
export async function run(argv: string[]) {
  const { values } = parseArgs({ args: argv, options: { timeout: { type: 'string', default: '3000' }, target: { type: 'string', multiple: true }, json: { type: 'boolean', default: false } } });
  const found = await discoverCameras({ timeoutMs: Number(values.timeout), targets: values.target });
  if (values.json) process.stdout.write(JSON.stringify(found, null, 2) + '\n');
  else if (found.length === 0) process.stdout.write('Không tìm thấy camera ONVIF nào / no ONVIF camera answered\n');
  else for (const c of found) process.stdout.write(`${c.address}\t${c.name ?? '?'}\t${c.hardware ?? '?'}\t${c.xaddrs.join(' ')}\n`);
  return found.length > 0 ? 0 : 1;
}
