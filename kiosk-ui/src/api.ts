// Same-origin calls to the room daemon. Never throws anything but ApiError.

export class ApiError extends Error {
  constructor(
    readonly status: number, // 0: no answer (daemon down, timeout)
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ApiOptions {
  /** The kiosk session token, when the officer controls are unlocked. */
  token?: () => string | null;
  /** Called on 401 for a call made with a session token (the token is dead: lock the page). */
  onUnauthorized?: () => void;
}

export function createApi(opts: ApiOptions = {}) {
  async function call<T>(method: string, path: string, body?: unknown, timeoutMs = 5000, withToken = true): Promise<T> {
    const headers: Record<string, string> = {};
    const token = withToken ? opts.token?.() : null;
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(`/api/v1${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
        cache: 'no-store',
      });
    } catch (err) {
      throw new ApiError(0, 'UNREACHABLE', (err as Error).message || 'no answer');
    }
    if (res.status === 204) return undefined as T;
    const text = await res.text().catch(() => '');
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON: keep the text as the message */
    }
    if (!res.ok) {
      const e = (json ?? {}) as { code?: string; message?: string; field?: string };
      if (res.status === 401 && token) opts.onUnauthorized?.();
      throw new ApiError(res.status, e.code ?? `HTTP_${res.status}`, e.message ?? text.slice(0, 200), e.field);
    }
    return json as T;
  }
  return {
    get: <T>(path: string, timeoutMs?: number) => call<T>('GET', path, undefined, timeoutMs),
    post: <T>(path: string, body?: unknown) => call<T>('POST', path, body ?? {}),
    put: <T>(path: string, body: unknown) => call<T>('PUT', path, body),
    /** Without the session token (PIN unlock). */
    postAnonymous: <T>(path: string, body: unknown) => call<T>('POST', path, body, 8000, false),
  };
}
export type Api = ReturnType<typeof createApi>;

/** Encodes one path segment (camera ids, preset tokens). */
export const seg = (s: string) => encodeURIComponent(s);
