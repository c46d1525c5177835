// The `store` setting: "" (files in stateDir) or a PostgreSQL URL node-postgres understands. Checked
// with the config, so a typo is refused at start naming `/store`, not found at the first query.

/** Why `url` is not a usable store URL, or undefined ("" is fine: no database). */
export function pgUrlProblem(url: string): string | undefined {
  if (url === '') return undefined;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'không phải URL / not a URL: expected postgres://USER:PASSWORD@HOST:PORT/DATABASE';
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:')
    return `phải là postgres:// / must be postgres:// or postgresql:// (got ${u.protocol}//)`;
  if (!u.hostname && !u.searchParams.get('host')) return 'thiếu máy chủ / no host: postgres://USER:PASSWORD@HOST:PORT/DATABASE';
  if (u.pathname.length <= 1) return 'thiếu tên cơ sở dữ liệu / no database name: postgres://…/DATABASE';
  return undefined;
}
