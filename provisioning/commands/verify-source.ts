import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { ArchiveStore } from '../../hub/archive/archive-store.js';
import { s3ArchiveClient } from '../../hub/archive/s3-archive-open.js';
import { createS3ArchiveStore } from '../../hub/archive/s3-archive-store.js';
import { parseS3Url, S3ConfigError } from '../../hub/archive/s3-config.js';

// Where `reception verify` reads a hearing's files: a directory (the room's recordings, a copy of the
// archive) or straight from the S3 bucket of an archive (`s3://BUCKET/PREFIX/HEARING`): the files are
// streamed and hashed from the bucket, nothing is copied to disk.

export interface HearingFiles {
  /** What the report names: the directory or the s3:// URL. */
  where: string;
  read(name: string): Promise<Buffer | null>;
  size(name: string): Promise<number | null>;
  sha256(name: string): Promise<string>;
  names(): Promise<string[]>;
}

async function sha256Of(stream: Readable | AsyncIterable<Buffer>): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export function dirFiles(dir: string): HearingFiles {
  return {
    where: dir,
    read: (name) => readFile(join(dir, name)).catch(() => null),
    size: async (name) => (await stat(join(dir, name)).catch(() => null))?.size ?? null,
    sha256: (name) => sha256Of(createReadStream(join(dir, name))),
    names: () => readdir(dir),
  };
}

export function storeFiles(where: string, store: ArchiveStore, hearing: string): HearingFiles {
  return {
    where,
    read: async (name) => (await store.get(hearing, name)) ?? null,
    size: async (name) => (await store.stat(hearing, name))?.bytes ?? null,
    sha256: (name) => sha256Of(store.read(hearing, name)),
    names: () => store.listFiles(hearing),
  };
}

export interface BucketOptions {
  endpoint?: string;
  region?: string;
  pathStyle?: boolean;
  credentials?: string;
}

/** `s3://BUCKET/PREFIX/HEARING` → the hearing's files in the bucket; a string is a usage error. */
export function bucketFiles(url: string, o: BucketOptions): HearingFiles | string {
  try {
    const where = parseS3Url(url, 'HEARING');
    const parts = where?.prefix.split('/').filter(Boolean) ?? [];
    const hearing = parts.pop();
    if (!where || !hearing) return `${url}: expected s3://BUCKET/[PREFIX/]HEARING`;
    const prefix = parts.length ? `s3://${where.bucket}/${parts.join('/')}` : `s3://${where.bucket}`;
    const s3 = s3ArchiveClient({
      url: prefix,
      s3: {
        endpoint: o.endpoint ?? '',
        region: o.region ?? 'us-east-1',
        forcePathStyle: !!o.pathStyle,
        credentialsFile: o.credentials ?? '',
      },
    })!;
    return storeFiles(url, createS3ArchiveStore(s3), hearing);
  } catch (err) {
    const flag: Record<string, string> = { '/archive/s3/endpoint': '--s3-endpoint', '/archive/s3/credentialsFile': '--s3-credentials' };
    if (err instanceof S3ConfigError) return `${flag[err.path] ?? err.path}: ${err.message}`;
    throw err;
  }
}
