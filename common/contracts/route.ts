// Paths shared by both ends of a boundary: the server registers the route pattern, the client fills
// it in. Pure: no I/O, no app imports.

/** Where the hub's API lives; the room → hub routes (signal, fleet, archive) are below it (hub/create-hub.ts). */
export const HUB_API = '/api/v1';

/** The `:name` parameters of a route pattern, e.g. `'h' | 'name'` for `/hearings/:h/files/:name`. */
export type RouteParams<R extends string> = R extends `${string}:${infer P}/${infer Rest}`
  ? P | RouteParams<`/${Rest}`>
  : R extends `${string}:${infer P}`
    ? P
    : never;

/** `/hearings/:h/files/:name` + `{h, name}` → `/hearings/h1/files/seg-00001.ts` (each value URL-encoded). */
export function fillRoute<R extends string>(route: R, params: Record<RouteParams<R>, string>): string {
  const values = params as Record<string, string>;
  return route.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`${route}: no value for :${name}`);
    return encodeURIComponent(value);
  });
}
