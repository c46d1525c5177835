import { createWriteStream, existsSync, statSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { UpdateOffer } from '../../../common/contracts/updates.js';
import type { HubLink } from '../../../common/enrollment/hub-link.js';
import { type ReleaseVerdict, verifyReleaseSignature } from '../../../common/release/release-manifest.js';

// Fetches an offered release into <dir>: the release file first, checked against the trusted key before a
// byte of the archive is fetched; then the archive into a .part file resumed with Range after a broken
// link (a commune's link may drop many times over a 22 MB bundle), renamed when it has all its bytes.

type Link = Pick<HubLink, 'baseUrl' | 'token' | 'fetch'>;

async function get(link: Link, path: string, headers: Record<string, string> = {}) {
  const res = await link.fetch(`${link.baseUrl}${path}`, {
    headers: { authorization: `Bearer ${link.token}`, ...headers },
    signal: AbortSignal.timeout(10 * 60_000),
  });
  if (!res.ok) throw new Error(`GET ${path}: HTTP ${res.status} ${(await res.text()).slice(0, 200)}`);
  return res;
}

/** The signed release, or why it is refused; nothing of the archive fetched yet. */
export async function fetchReleaseFile(
  link: Link,
  offer: UpdateOffer,
  dir: string,
  trustedKeyRaw: Buffer,
): Promise<ReleaseVerdict & { file?: string }> {
  const raw: unknown = await (await get(link, offer.releasePath)).json();
  const v = verifyReleaseSignature(raw, trustedKeyRaw);
  if (!v.ok) return v;
  if (v.release.manifest.version !== offer.version)
    return {
      ok: false,
      refusal: {
        code: 'MALFORMED',
        vi: `hub mời bản ${offer.version} nhưng tệp ký là ${v.release.manifest.version}`,
        en: `offered ${offer.version}, signed ${v.release.manifest.version}`,
      },
    };
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'release.json');
  await writeFile(file, JSON.stringify(v.release));
  return { ...v, file };
}

/** The archive beside the release file; resumes a .part left by an earlier try. Returns bytes fetched now. */
export async function fetchArchive(link: Link, offer: UpdateOffer, dir: string, name: string, bytes: number): Promise<number> {
  const final = join(dir, name);
  if (existsSync(final) && statSync(final).size === bytes) return 0;
  const part = `${final}.part`;
  const have = existsSync(part) ? statSync(part).size : 0;
  const res = await get(link, offer.archivePath, have > 0 && have < bytes ? { range: `bytes=${have}-` } : {});
  const append = res.status === 206;
  const body = Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>);
  let got = 0;
  body.on('data', (c: Buffer) => {
    got += c.length;
  });
  await pipeline(body, createWriteStream(part, { flags: append ? 'a' : 'w' }));
  const size = statSync(part).size;
  if (size !== bytes) throw new Error(`archive: ${size} of ${bytes} bytes after the transfer`);
  await rename(part, final);
  return got;
}
