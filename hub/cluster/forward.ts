import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';

// The node-to-node proxy: a request for a hearing held by another node is sent on to that node's own URL
// as it came (method, path, headers, body, WebSocket upgrade), marked with FORWARDED_BY so it is never
// forwarded twice. The holder authenticates it exactly as if the caller had come straight to it.

export const FORWARDED_BY = 'x-reception-forwarded-by';

export interface ForwardTarget {
  /** The holder's advertised URL (http://10.0.0.5:8090). */
  url: string;
  /** CA of the holder's certificate when it is https (the hub's internal CA). */
  ca?: string;
  /** Nothing listens at `url` (ECONNREFUSED): the holder's process is gone. */
  refused?: () => void;
}

const onRefused = (target: ForwardTarget) => (err: NodeJS.ErrnoException) => {
  if (err.code === 'ECONNREFUSED') target.refused?.();
};

// hop-by-hop headers (RFC 9110 §7.6.1) never go on; an upgrade's own are set again below
const HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

function outgoing(req: IncomingMessage, target: ForwardTarget, nodeId: string, upgrade: boolean) {
  const u = new URL(req.url ?? '/', target.url);
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !HOP.has(k)) headers[k] = v;
  headers[FORWARDED_BY] = nodeId;
  if (upgrade) Object.assign(headers, { connection: 'Upgrade', upgrade: req.headers.upgrade ?? 'websocket' });
  const send = u.protocol === 'https:' ? httpsRequest : httpRequest;
  // Host stays the caller's (the holder checks it as it would from the caller). TLS: the holder's certificate
  // against the hub CA, for the holder's own name (an IP advertiseUrl: Node checks the Host header's name)
  const tls = target.ca ? { ca: target.ca, ...(isIP(u.hostname.replace(/^\[|\]$/g, '')) ? {} : { servername: u.hostname }) } : {};
  return send(u, { method: req.method, headers, agent: false, ...tls });
}

/** An HTTP request sent on; the holder's answer streamed back. Unreachable holder → 502 (the caller retries). */
export function forwardHttp(req: IncomingMessage, res: ServerResponse, target: ForwardTarget, nodeId: string): void {
  const out = outgoing(req, target, nodeId, false);
  out.on('error', onRefused(target));
  out.on('response', (up) => {
    const headers = Object.fromEntries(Object.entries(up.headers).filter(([k]) => !HOP.has(k)));
    res.writeHead(up.statusCode ?? 502, headers as Record<string, string>);
    up.pipe(res);
  });
  out.on('error', (err) => {
    if (res.headersSent) return void res.destroy();
    const message = `nút giữ phiên không trả lời / the node holding this hearing did not answer: ${err.message}`;
    res.writeHead(502, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ statusCode: 502, error: 'Bad Gateway', code: 'NODE_UNREACHABLE', message }));
  });
  req.pipe(out);
}

/** A WebSocket upgrade sent on; after the holder's 101 the two sockets are piped. Returns a way to cut both. */
export function forwardUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, target: ForwardTarget, nodeId: string): () => void {
  const out = outgoing(req, target, nodeId, true);
  out.on('error', onRefused(target));
  let upstream: Duplex | undefined;
  const cut = () => {
    upstream?.destroy();
    socket.destroy();
    out.destroy();
  };
  socket.on('error', cut);
  socket.on('close', cut);
  out.on('upgrade', (res, up, upHead) => {
    upstream = up;
    const lines = [`HTTP/1.1 ${res.statusCode} ${res.statusMessage}`];
    for (let i = 0; i < res.rawHeaders.length; i += 2) lines.push(`${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}`);
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (upHead.length) socket.write(upHead);
    if (head.length) up.write(head);
    up.on('error', cut);
    up.on('close', cut);
    up.pipe(socket);
    socket.pipe(up);
  });
  out.on('response', (res) => {
    // the holder refused the upgrade (401, 421…): its answer goes back as it is
    const lines = [`HTTP/1.1 ${res.statusCode} ${res.statusMessage}`];
    for (let i = 0; i < res.rawHeaders.length; i += 2)
      if (!HOP.has(res.rawHeaders[i]!.toLowerCase())) lines.push(`${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}`);
    socket.write(`${lines.join('\r\n')}\r\nconnection: close\r\n\r\n`);
    res.pipe(socket);
  });
  out.on('error', cut);
  out.end();
  return cut;
}
