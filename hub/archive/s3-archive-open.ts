import { S3Client } from '@aws-sdk/client-s3';
import type { Logger } from '../../common/log.js';
import type { ArchiveStore } from './archive-store.js';
import { createS3ArchiveStore } from './s3-archive-store.js';
import { checkS3ArchiveConfig, S3_DEFAULTS, type S3ArchiveConfig } from './s3-config.js';
import { bucketOps } from './s3-objects.js';

// From the config (`archive.url` + `archive.s3`) to a client and a store: the hub (create-hub.ts) and
// `reception verify s3://…` open the bucket the same way.

/** The S3 store of `archive.url`, or undefined (the filesystem store under archive.dir). Never logs credentials. */
export function s3ArchiveStoreOf(archive: Parameters<typeof s3ArchiveClient>[0] | undefined, logger: Logger): ArchiveStore | undefined {
  const s3 = archive && s3ArchiveClient(archive);
  if (!s3) return undefined;
  const where = { bucket: s3.bucket, prefix: s3.prefix, endpoint: archive.s3?.endpoint || 'AWS' };
  // Not fatal: a storage that is away at start answers 503 per upload and the rooms retry; the log says why.
  bucketOps(s3.client, s3.bucket)
    .probe(s3.prefix)
    .then(
      () => logger.info(where, 'archive in S3-compatible storage'),
      (err: Error) =>
        logger.warn({ ...where, reason: err.message }, 'archive: S3 storage not reachable yet (uploads answer 503 until it is)'),
    );
  return createS3ArchiveStore(s3);
}

/** The client of `archive.url`, or undefined for the filesystem archive. */
export function s3ArchiveClient(a: { url?: string; s3?: Partial<S3ArchiveConfig> }) {
  const archive = { url: a.url ?? '', s3: { ...S3_DEFAULTS, ...a.s3 } };
  const checked = checkS3ArchiveConfig(archive);
  if (!checked) return undefined;
  const client = new S3Client({
    endpoint: archive.s3.endpoint || undefined,
    region: archive.s3.region,
    forcePathStyle: archive.s3.forcePathStyle,
    credentials: checked.credentials, // undefined: the SDK's chain (environment, profile, instance role)
    // The SDK's default: a CRC32 checksum header on every upload (bodies are Buffers, so no aws-chunked
    // trailers), checked by the storage; Object Lock buckets refuse uploads without one.
    requestHandler: { connectionTimeout: 5000, requestTimeout: 60_000 }, // a hung storage is an error, not a stuck upload
  });
  return { client, bucket: checked.bucket, prefix: checked.prefix };
}
