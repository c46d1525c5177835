import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError, InvalidRequestError, NotFoundError } from '../../common/errors.js';
import { type SignedRelease, verifyReleaseSignature } from '../../common/release/release-manifest.js';

// The hub's shelf of signed releases: <stateDir>/releases/<version>/{release.json, <archive>}. A release
// file is taken only when the key the hub trusts signed it; its archive only when it has exactly the size
// and SHA-256 the signed manifest says (streamed to a .part file, renamed when it checks).

export interface ReleaseView {
  version: string;
  modules: 'included' | 'app-only';
  bytes: number;
  createdAt: string;
  complete: boolean;
}

export function createReleaseLibrary(o: { dir: string | undefined; trustedKeyRaw: Buffer | undefined }) {
  const unavailable = () =>
    new AppError(
      'Máy chủ chưa được cấu hình khóa phát hành (updates.releaseKeyFile) — the hub has no release key configured (updates.releaseKeyFile)',
      503,
      'UPDATES_OFF',
    );
  const folder = (version: string) => join(o.dir!, version);
  const read = (version: string): SignedRelease | undefined => {
    const f = join(folder(version), 'release.json');
    return existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as SignedRelease) : undefined;
  };
  const complete = (r: SignedRelease) => {
    const f = join(folder(r.manifest.version), r.manifest.archive.name);
    return existsSync(f) && statSync(f).size === r.manifest.archive.bytes;
  };

  return {
    enabled: !!(o.dir && o.trustedKeyRaw),

    async add(raw: unknown): Promise<SignedRelease> {
      if (!o.dir || !o.trustedKeyRaw) throw unavailable();
      const v = verifyReleaseSignature(raw, o.trustedKeyRaw);
      if (!v.ok) throw new InvalidRequestError(v.refusal.code === 'MALFORMED' ? '/' : '/signature', `${v.refusal.vi} — ${v.refusal.en}`);
      const old = read(v.release.manifest.version);
      if (old && old.signature !== v.release.signature)
        throw new AppError(
          `Phiên bản ${old.manifest.version} đã có với nội dung khác — version already stored with other content`,
          409,
          'CONFLICT',
        );
      await mkdir(folder(v.release.manifest.version), { recursive: true });
      await writeFile(join(folder(v.release.manifest.version), 'release.json'), JSON.stringify(v.release));
      return v.release;
    },

    async putArchive(version: string, body: Readable): Promise<ReleaseView> {
      if (!o.dir || !o.trustedKeyRaw) throw unavailable();
      const r = read(version);
      if (!r) throw new NotFoundError(`no release ${version}: PUT its release.json first`);
      const { name, bytes, sha256 } = r.manifest.archive;
      const part = join(folder(version), `${name}.part`);
      const hash = createHash('sha256');
      let seen = 0;
      body.on('data', (c: Buffer) => {
        seen += c.length;
        hash.update(c);
        if (seen > bytes) body.destroy(new InvalidRequestError('body', `more than the ${bytes} bytes the release says`));
      });
      try {
        await pipeline(body, createWriteStream(part, { mode: 0o644 }));
      } catch (err) {
        await rm(part, { force: true });
        throw err instanceof AppError ? err : new InvalidRequestError('body', (err as Error).message);
      }
      const got = hash.digest('hex');
      if (seen !== bytes || got !== sha256) {
        await rm(part, { force: true });
        throw new InvalidRequestError(
          'body',
          `got ${seen} bytes, SHA-256 ${got.slice(0, 16)}…; the signed release says ${bytes} bytes, ${sha256.slice(0, 16)}…`,
        );
      }
      await rename(part, join(folder(version), name));
      return view(r, true);
    },

    list(): ReleaseView[] {
      if (!o.dir || !existsSync(o.dir)) return [];
      return readdirSync(o.dir)
        .map((v) => read(v))
        .filter((r): r is SignedRelease => !!r)
        .map((r) => view(r, complete(r)))
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    },

    /** The files of a complete release (for rooms and technicians), else undefined. */
    files(version: string): { release: string; archive: string; bytes: number } | undefined {
      if (!o.dir || !/^[0-9A-Za-z.+-]{1,64}$/.test(version)) return undefined;
      const r = read(version);
      if (!r || !complete(r)) return undefined;
      return {
        release: join(folder(version), 'release.json'),
        archive: join(folder(version), r.manifest.archive.name),
        bytes: r.manifest.archive.bytes,
      };
    },
  };
}
export type ReleaseLibrary = ReturnType<typeof createReleaseLibrary>;

const view = (r: SignedRelease, complete: boolean): ReleaseView => ({
  version: r.manifest.version,
  modules: r.manifest.modules,
  bytes: r.manifest.archive.bytes,
  createdAt: r.manifest.createdAt,
  complete,
});
