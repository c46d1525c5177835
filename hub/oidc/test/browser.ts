import { createHubTrust } from '../../../common/tls/hub-trust.js';

// A browser as far as a sign-in needs one: follows redirects itself, keeps cookies per host with their
// Path, Max-Age and SameSite (a Strict cookie is not sent on a navigation that came from another site,
// Lax is on a top-level GET), submits a page's first form. fetch underneath, no mock of anything.

interface Cookie {
  name: string;
  value: string;
  host: string;
  path: string;
  sameSite: 'strict' | 'lax' | 'none';
}

const siteOf = (u: URL) => u.hostname; // sites by host name: localhost and 127.0.0.1 are two sites

export function createBrowser(opts: { caPem?: string } = {}) {
  const get = opts.caPem ? createHubTrust({ caPem: opts.caPem }).fetch : fetch; // a browser with the province CA installed
  let jar: Cookie[] = [];
  const store = (url: URL, header: string) => {
    const [pair, ...attrs] = header.split(';').map((s) => s.trim());
    const eq = pair!.indexOf('=');
    const name = pair!.slice(0, eq);
    const value = pair!.slice(eq + 1);
    const attr = (k: string) => attrs.find((a) => a.toLowerCase().startsWith(`${k}=`))?.split('=')[1];
    const path = attr('path') ?? '/';
    const gone = attr('max-age') === '0' || (attr('expires') && Date.parse(attr('expires')!) < Date.now());
    jar = jar.filter((c) => !(c.name === name && c.host === url.host && c.path === path));
    if (!gone) jar.push({ name, value, host: url.host, path, sameSite: (attr('samesite')?.toLowerCase() as Cookie['sameSite']) ?? 'lax' });
  };
  const cookieHeader = (url: URL, crossSite: boolean, method: string) =>
    jar
      .filter((c) => c.host === url.host && url.pathname.startsWith(c.path))
      .filter((c) => !crossSite || c.sameSite === 'none' || (c.sameSite === 'lax' && method === 'GET'))
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');

  return {
    cookies: (host: string) => jar.filter((c) => c.host === host),
    /** One navigation, redirects followed; `from` is the page it started on (for SameSite). */
    async navigate(
      start: string,
      init: { method?: string; form?: Record<string, string>; from?: string; stopBefore?: (url: URL) => boolean } = {},
    ) {
      let url = new URL(start);
      let method = init.method ?? 'GET';
      let body: string | undefined = init.form ? new URLSearchParams(init.form).toString() : undefined;
      const initiator = init.from ? siteOf(new URL(init.from)) : siteOf(url);
      let crossSite = initiator !== siteOf(url); // and stays so once a hop of the chain was on another site
      const chain: { url: string; status: number }[] = [];
      for (let hop = 0; hop < 20; hop++) {
        if (hop > 0 && init.stopBefore?.(url)) return { res: undefined, url, chain, text: '' };
        const headers: Record<string, string> = {};
        const cookie = cookieHeader(url, crossSite, method);
        if (cookie) headers.cookie = cookie;
        if (body) headers['content-type'] = 'application/x-www-form-urlencoded';
        const res = await get(url, { method, headers, body, redirect: 'manual' });
        for (const h of res.headers.getSetCookie()) store(url, h);
        chain.push({ url: url.href, status: res.status });
        const location = res.headers.get('location');
        if (res.status < 300 || res.status >= 400 || !location) return { res, url, chain, text: await res.text() };
        await res.arrayBuffer();
        const next = new URL(location, url);
        crossSite = crossSite || siteOf(next) !== initiator;
        if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
          method = 'GET';
          body = undefined;
        }
        url = next;
      }
      throw new Error(`too many redirects from ${start}`);
    },
  };
}

/** The first form of an HTML page: its absolute action and its hidden fields. */
export function firstForm(html: string, page: URL): { action: string; fields: Record<string, string> } {
  const form = /<form[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) throw new Error(`no form on ${page.href}: ${html.slice(0, 300)}`);
  const fields: Record<string, string> = {};
  for (const m of form[2]!.matchAll(/<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"/gi)) fields[m[1]!] = m[2]!;
  return { action: new URL(form[1]!.replace(/&amp;/g, '&'), page).href, fields };
}
