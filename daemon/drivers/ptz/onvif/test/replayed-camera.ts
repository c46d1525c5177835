import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseSoap } from '../../../../../common/protocols/onvif/index.js';

// A camera replayed from its recorded answers (common/protocols/onvif/fixtures/README.md): a local HTTP server
// answers each operation with the file the camera gave, byte for byte; only recorded operations are served.
export const fixture = (name: string) =>
  readFileSync(new URL(`../../../../../common/protocols/onvif/fixtures/${name}`, import.meta.url), 'utf8');
const FILE: Record<string, string> = { GetConfiguration: 'get-configurations', GetNode: 'get-nodes' };
const kebab = (op: string) => FILE[op] ?? op.replace(/[A-Z]/g, (c, i) => `${i ? '-' : ''}${c.toLowerCase()}`);

/** `override(op, signed)` may answer instead with [status, fixture file]. `ops`: the operations asked, in order. */
export async function replayCamera(camera: string, override?: (op: string, signed: boolean) => [number, string] | undefined) {
  const ops: string[] = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const op = parseSoap(raw).action;
      ops.push(op);
      const [status, file] = override?.(op, raw.includes('UsernameToken')) ?? [200, `${camera}-${kebab(op)}.xml`];
      res.writeHead(status, { 'Content-Type': 'application/soap+xml; charset=utf-8' }).end(fixture(file));
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const xaddr = `http://127.0.0.1:${(server.address() as AddressInfo).port}/onvif/device_service`;
  const close = () => new Promise<void>((done) => server.close(() => done()));
  return { ops, xaddr, close };
}
