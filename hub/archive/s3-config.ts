import { readFileSync } from 'node:fs';
import { Type, type Static } from '@sinclair/typebox';

// The hub config's `archive.url` + `archive.s3`: the archive in S3-compatible object storage (MinIO, Ceph RGW,
// a government cloud, AWS). Checked at load: a malformed url or endpoint, an unreadable or incomplete
// credentials file name the field. Credentials come from `archive.s3.credentialsFile` (JSON, keep it 0600) or
// the SDK's usual sources (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY…); they are never logged or echoed.

export const S3_URL = '^s3://([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(/[A-Za-z0-9._/-]*)?$';

export const S3ArchiveConfig = Type.Object(
  {
    endpoint: Type.String({
      default: '',
      description: 'the S3 API endpoint, e.g. "https://minio.tinh.gov.vn:9000" ("" = AWS S3 of `region`)',
    }),
    region: Type.String({ default: 'us-east-1', description: 'region of the bucket (MinIO / Ceph: any, usually us-east-1)' }),
    forcePathStyle: Type.Boolean({
      default: false,
      description: 'path-style requests (ENDPOINT/BUCKET/KEY) instead of BUCKET.ENDPOINT: true for MinIO, Ceph RGW, s3rver',
    }),
    credentialsFile: Type.String({
      default: '',
      description:
        'JSON file {"accessKeyId", "secretAccessKey"[, "sessionToken"]} (keep it 0600); "" = AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or the SDK\'s other sources',
    }),
  },
  {
    additionalProperties: false,
    default: {},
    description:
      'the S3-compatible storage of `archive.url`. WORM: create the bucket with Object Lock (versioning on) and a default retention, COMPLIANCE mode for evidence (no one can shorten it) or GOVERNANCE (an admin with s3:BypassGovernanceRetention can); the hub only adds objects, never deletes a received file (hub/archive/README.md "Object lock")',
  },
);
export type S3ArchiveConfig = Static<typeof S3ArchiveConfig>;

export class S3ConfigError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** `s3://bucket/a/b` → bucket and key prefix ("a/b/"); undefined for "" (the filesystem archive). */
export function parseS3Url(url: string, path = '/archive/url'): { bucket: string; prefix: string } | undefined {
  if (!url) return undefined;
  const m = new RegExp(S3_URL).exec(url);
  if (!m || url.includes('//', 5) || /(^|\/)\.\.?(\/|$)/.test(m[2] ?? ''))
    throw new S3ConfigError(
      path,
      `địa chỉ kho S3 không hợp lệ / not an S3 archive URL: expected s3://BUCKET[/PREFIX] (bucket 3–63 lowercase letters, digits, dots, dashes), got ${JSON.stringify(url)}`,
    );
  const prefix = (m[2] ?? '').replace(/^\/+|\/+$/g, '');
  return { bucket: m[1]!, prefix: prefix ? `${prefix}/` : '' };
}

function readCredentials(file: string): Credentials | undefined {
  if (!file) return undefined;
  const path = '/archive/s3/credentialsFile';
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? 'not valid JSON'; // never the content: it is a secret
    throw new S3ConfigError(path, `không đọc được tệp khóa S3 / cannot read the S3 credentials file ${file}: ${why}`);
  }
  const c = raw as Partial<Credentials>;
  if (typeof c?.accessKeyId !== 'string' || !c.accessKeyId || typeof c.secretAccessKey !== 'string' || !c.secretAccessKey)
    throw new S3ConfigError(path, `tệp khóa S3 thiếu accessKeyId hoặc secretAccessKey / ${file} needs accessKeyId and secretAccessKey`);
  return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken };
}

export const S3_DEFAULTS: S3ArchiveConfig = { endpoint: '', region: 'us-east-1', forcePathStyle: false, credentialsFile: '' };

/** Everything checkable without asking the storage; throws S3ConfigError naming the field. */
export function checkS3ArchiveConfig(archive: { url: string; s3: S3ArchiveConfig }) {
  const where = parseS3Url(archive.url);
  if (!where) return undefined;
  const { endpoint } = archive.s3;
  // user:secret@ in the endpoint would be logged with it (s3-archive-open.ts): refused, and never echoed
  if (endpoint.includes('@'))
    throw new S3ConfigError(
      '/archive/s3/endpoint',
      'điểm truy cập S3 không được chứa tên/mật khẩu (user:pass@), hãy dùng credentialsFile / the S3 endpoint must not carry user:pass@: use credentialsFile',
    );
  if (endpoint && !/^https?:\/\/[^/\s]+\/?$/.test(endpoint))
    throw new S3ConfigError(
      '/archive/s3/endpoint',
      `điểm truy cập S3 phải là http(s)://HOST[:PORT] / the S3 endpoint must be http(s)://HOST[:PORT], got ${JSON.stringify(endpoint)}`,
    );
  return { ...where, credentials: readCredentials(archive.s3.credentialsFile) };
}
