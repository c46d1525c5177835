import { PassThrough, type Readable } from 'node:stream';
import {
  HeadBucketCommand,
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { AppError } from '../../common/errors.js';

// The few S3 calls the archive makes, on one bucket. Every failure of the storage (unreachable, 5xx, a part
// or request refused) becomes StorageUnavailableError: 503 + Retry-After, which the room's uploader waits
// out and retries (daemon/modules/uploader/hub-answer.ts: 5xx = "away") — no receipt, the room keeps the file.
// Bodies are Buffers with a known length: every S3-compatible server takes them (no aws-chunked streaming).

export class StorageUnavailableError extends AppError {
  readonly headers = { 'retry-after': '30' };
  constructor(op: string, key: string, err: unknown) {
    const why = (err as { name?: string; code?: string }).code ?? (err as Error).name ?? 'Error';
    super(
      `Kho lưu trữ S3 tạm thời không dùng được, phòng giữ tệp và gửi lại sau / S3 archive storage unavailable (${op} ${key}: ${why} ${(err as Error).message ?? ''}), the room keeps the file and retries`.trim(),
      503,
      'STORAGE_UNAVAILABLE',
    );
  }
}

const missing = (err: unknown) =>
  ['NoSuchKey', 'NotFound'].includes((err as Error).name) ||
  (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404;

export interface ListedObject {
  key: string;
  bytes: number;
  mtime: string;
}

export function bucketOps(client: S3Client, Bucket: string) {
  async function call<T>(op: string, key: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw new StorageUnavailableError(op, key, err);
    }
  }
  const ops = {
    /** Every object under `prefix` (all pages); with `delimiter`, the sub-prefixes too. */
    async list(prefix: string, delimiter?: string): Promise<{ objects: ListedObject[]; prefixes: string[] }> {
      const objects: ListedObject[] = [];
      const prefixes: string[] = [];
      let token: string | undefined;
      do {
        const r = await call('ListObjectsV2', prefix, () =>
          client.send(new ListObjectsV2Command({ Bucket, Prefix: prefix, Delimiter: delimiter, ContinuationToken: token })),
        );
        for (const o of r.Contents ?? [])
          objects.push({ key: o.Key!, bytes: o.Size ?? 0, mtime: (o.LastModified ?? new Date(0)).toISOString() });
        for (const p of r.CommonPrefixes ?? []) prefixes.push(p.Prefix!);
        token = r.IsTruncated ? r.NextContinuationToken : undefined;
      } while (token);
      return { objects, prefixes };
    },
    /** Is the bucket there for us (reachable, it exists, the credentials may list it: HeadBucket needs
     *  s3:ListBucket)? Not a one-key listing: s3rver answers a truncated ListObjectsV2 with InternalError. */
    probe: (prefix: string) => call('HeadBucket', prefix, () => client.send(new HeadBucketCommand({ Bucket }))),
    async head(key: string): Promise<{ bytes: number; mtime: string } | undefined> {
      try {
        const r = await client.send(new HeadObjectCommand({ Bucket, Key: key }));
        return { bytes: r.ContentLength ?? 0, mtime: (r.LastModified ?? new Date(0)).toISOString() };
      } catch (err) {
        if (missing(err)) return undefined;
        throw new StorageUnavailableError('HeadObject', key, err);
      }
    },
    async get(key: string): Promise<Buffer | undefined> {
      try {
        const r = await client.send(new GetObjectCommand({ Bucket, Key: key }));
        return Buffer.from(await r.Body!.transformToByteArray());
      } catch (err) {
        if (missing(err)) return undefined;
        throw new StorageUnavailableError('GetObject', key, err);
      }
    },
    put: (key: string, body: Buffer) => call('PutObject', key, () => client.send(new PutObjectCommand({ Bucket, Key: key, Body: body }))),
    async remove(keys: string[]) {
      for (let i = 0; i < keys.length; i += 1000) {
        const Objects = keys.slice(i, i + 1000).map((Key) => ({ Key }));
        await call('DeleteObjects', keys[i]!, () => client.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects, Quiet: true } })));
      }
    },
    /** A lazy stream of one object (or an inclusive byte range): errors arrive as the stream's error. */
    stream(key: string, range?: { start: number; end: number }): Readable {
      const out = new PassThrough();
      const Range = range ? `bytes=${range.start}-${range.end}` : undefined;
      client.send(new GetObjectCommand({ Bucket, Key: key, Range })).then(
        (r) => {
          const body = r.Body as Readable;
          body.on('error', (err) => out.destroy(new StorageUnavailableError('GetObject', key, err)));
          out.on('close', () => body.destroy()); // a client that goes away stops the download
          body.pipe(out);
        },
        (err) => out.destroy(new StorageUnavailableError('GetObject', key, err)),
      );
      return out;
    },
    /** Writes `parts` (each ≥ 5 MiB but the last) as one object; aborted on any failure. */
    async multipart(key: string, parts: AsyncIterable<Buffer>) {
      const { UploadId } = await call('CreateMultipartUpload', key, () =>
        client.send(new CreateMultipartUploadCommand({ Bucket, Key: key })),
      );
      try {
        const done: { PartNumber: number; ETag: string }[] = [];
        const sending: Promise<unknown>[] = []; // one part goes up while the next is read
        let PartNumber = 0;
        for await (const Body of parts) {
          const n = ++PartNumber;
          const up = client.send(new UploadPartCommand({ Bucket, Key: key, UploadId, PartNumber: n, Body }));
          const recorded = up.then((r) => done.push({ PartNumber: n, ETag: r.ETag! }));
          recorded.catch(() => {}); // awaited below; not an unhandled rejection meanwhile
          sending.push(recorded);
          if (sending.length >= 2) await sending.shift();
        }
        await Promise.all(sending);
        done.sort((a, b) => a.PartNumber - b.PartNumber);
        await client.send(new CompleteMultipartUploadCommand({ Bucket, Key: key, UploadId, MultipartUpload: { Parts: done } }));
      } catch (err) {
        // Parts of an unfinished upload cost storage: abort (a bucket lifecycle rule catches what this misses).
        await client.send(new AbortMultipartUploadCommand({ Bucket, Key: key, UploadId })).catch(() => {});
        throw err instanceof StorageUnavailableError ? err : new StorageUnavailableError('UploadPart', key, err);
      }
    },
  };
  return ops;
}
export type BucketOps = ReturnType<typeof bucketOps>;
