import {
  ARCHIVE_FILE_ROUTE,
  ARCHIVE_KEY_ROUTE,
  ARCHIVE_PREFIX,
  CHUNK_CONTENT_TYPE,
  UPLOAD_COMPLETE,
  UPLOAD_HEADER,
  archiveDocumentRoute,
  type ArchiveDocument,
  type ArchiveKey,
  type Receipt,
} from '../../../common/contracts/archive.js';
import { fillRoute } from '../../../common/contracts/route.js';
import { SIGNAL_PATH } from '../../../common/contracts/signaling/messages.js';

// The room's HTTP client for the hub archive (docs/UPLOAD.md; routes, headers and receipt from
// common/contracts/archive.ts, as the hub serves them). Every call throws HubError with the status and
// the hub's error code; network failures throw the fetch error (the caller backs off).

export class HubError extends Error {
  /** `reason`: the hub's own message (the body's `message`). */
  constructor(
    readonly status: number,
    readonly code: string,
    readonly reason: string,
    readonly offset?: number,
  ) {
    super(`hub ${status} ${code}: ${reason}`);
  }
}

/** `ws://host:8090/api/v1/signal` → `http://host:8090` (wss → https). */
export function hubBaseFromSignalUrl(signalUrl: string): string {
  const u = new URL(signalUrl);
  u.protocol = u.protocol === 'wss:' ? 'https:' : u.protocol === 'ws:' ? 'http:' : u.protocol;
  u.pathname = u.pathname.replace(new RegExp(`${SIGNAL_PATH}/?$`), '') || '/';
  return u.toString().replace(/\/$/, '');
}

/** fetch's types want an ArrayBuffer-backed view; a Buffer is one at run time (no copy). */
const bodyOf = (b: Buffer) => b as unknown as Uint8Array<ArrayBuffer>;

export type PatchResult = { kind: 'progress'; offset: number } | { kind: 'done'; receipt: Receipt };

export function createHubClient(opts: { baseUrl: string; secret: string; timeoutMs?: number; fetch?: typeof globalThis.fetch }) {
  const auth = { authorization: `Bearer ${opts.secret}` };
  const fetch = opts.fetch ?? globalThis.fetch; // the enrollment's: trusts exactly the hub's CA (common/enrollment/hub-link.ts)
  const fileUrl = (h: string, name: string) => `${opts.baseUrl}${ARCHIVE_PREFIX}${fillRoute(ARCHIVE_FILE_ROUTE, { h, name })}`;
  const documentUrl = (h: string, doc: ArchiveDocument) => `${opts.baseUrl}${ARCHIVE_PREFIX}${fillRoute(archiveDocumentRoute(doc), { h })}`;
  const signal = () => AbortSignal.timeout(opts.timeoutMs ?? 60_000);
  /** Body bytes handed to the network (for the backlog stats and the resume tests). */
  const stats = { bytesSent: 0, requests: 0 };

  async function fail(res: Response): Promise<never> {
    const body = (await res.json().catch(() => ({}))) as { code?: string; message?: string; offset?: number };
    const header = res.headers.get(UPLOAD_HEADER.offset);
    throw new HubError(
      res.status,
      body.code ?? 'HTTP',
      body.message ?? res.statusText,
      body.offset ?? (header !== null ? Number(header) : undefined),
    );
  }

  return {
    stats,
    async key(): Promise<string> {
      const res = await fetch(`${opts.baseUrl}${ARCHIVE_PREFIX}${ARCHIVE_KEY_ROUTE}`, { signal: signal() });
      if (!res.ok) await fail(res);
      return ((await res.json()) as ArchiveKey).publicKey;
    },
    async offset(hearing: string, file: string): Promise<{ offset: number; complete: boolean }> {
      stats.requests++;
      const res = await fetch(fileUrl(hearing, file), { method: 'HEAD', headers: auth, signal: signal() });
      if (!res.ok) await fail(res);
      return {
        offset: Number(res.headers.get(UPLOAD_HEADER.offset) ?? 0),
        complete: res.headers.get(UPLOAD_HEADER.complete) === UPLOAD_COMPLETE.yes,
      };
    },
    async patch(hearing: string, file: string, d: { offset: number; length: number; sha256: string }, chunk: Buffer): Promise<PatchResult> {
      stats.requests++;
      stats.bytesSent += chunk.length;
      const res = await fetch(fileUrl(hearing, file), {
        method: 'PATCH',
        headers: {
          ...auth,
          'content-type': CHUNK_CONTENT_TYPE,
          [UPLOAD_HEADER.offset]: String(d.offset),
          [UPLOAD_HEADER.length]: String(d.length),
          [UPLOAD_HEADER.sha256]: d.sha256,
        },
        body: bodyOf(chunk),
        signal: signal(),
      });
      if (res.status === 204) return { kind: 'progress', offset: Number(res.headers.get(UPLOAD_HEADER.offset)) };
      if (res.status === 200) return { kind: 'done', receipt: (await res.json()) as Receipt };
      return fail(res);
    },
    /** manifest.jsonl or book.json, whole; with `fromOffset`, `body` is the manifest's bytes from there (its new tail). */
    async putDocument(hearing: string, doc: ArchiveDocument, body: Buffer, fromOffset = 0): Promise<Receipt> {
      stats.requests++;
      stats.bytesSent += body.length;
      const headers: Record<string, string> = { ...auth, 'content-type': 'application/octet-stream' };
      if (fromOffset > 0) headers[UPLOAD_HEADER.offset] = String(fromOffset);
      const res = await fetch(documentUrl(hearing, doc), { method: 'PUT', headers, body: bodyOf(body), signal: signal() });
      if (!res.ok) await fail(res);
      return (await res.json()) as Receipt;
    },
  };
}
export type HubClient = ReturnType<typeof createHubClient>;
