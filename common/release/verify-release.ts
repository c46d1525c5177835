import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { type ReleaseVerdict, verifyReleaseSignature } from './release-manifest.js';

// The whole check a box makes before it installs anything: the signature (release-manifest.ts), then the
// archive beside the release file — its size, then its SHA-256, read as a stream (bundles with modules
// are hundreds of MB).

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

/** `releaseFile` is `<name>.release.json`; the archive is looked for beside it under the manifest's name. */
export async function verifyRelease(releaseFile: string, trustedKeyRaw: Buffer): Promise<ReleaseVerdict & { archive?: string }> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(releaseFile, 'utf8'));
  } catch (err) {
    const why = (err as Error).message;
    return {
      ok: false,
      refusal: { code: 'MALFORMED', vi: `Không đọc được tệp phát hành: ${why}`, en: `Cannot read the release file: ${why}` },
    };
  }
  const signed = verifyReleaseSignature(raw, trustedKeyRaw);
  if (!signed.ok) return signed;
  const { archive: a } = signed.release.manifest;
  const archive = join(dirname(releaseFile), basename(a.name)); // basename: a name can never point elsewhere
  const bytes = await stat(archive).then(
    (s) => s.size,
    () => -1,
  );
  if (bytes < 0)
    return { ok: false, refusal: { code: 'ARCHIVE_MISSING', vi: `Thiếu tệp ${a.name} bên cạnh.`, en: `${a.name} is missing beside it.` } };
  if (bytes !== a.bytes)
    return {
      ok: false,
      refusal: {
        code: 'ARCHIVE_SIZE',
        vi: `${a.name} có ${bytes} byte, bản phát hành ghi ${a.bytes}.`,
        en: `${a.name} has ${bytes} bytes; the release says ${a.bytes}.`,
      },
    };
  const sha = await sha256File(archive);
  if (sha !== a.sha256)
    return {
      ok: false,
      refusal: {
        code: 'ARCHIVE_HASH',
        vi: `${a.name} đã bị thay đổi (SHA-256 ${sha.slice(0, 16)}…, bản phát hành ghi ${a.sha256.slice(0, 16)}…).`,
        en: `${a.name} was altered (SHA-256 ${sha.slice(0, 16)}…; the release says ${a.sha256.slice(0, 16)}…).`,
      },
    };
  return { ...signed, archive };
}
