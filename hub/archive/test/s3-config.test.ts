import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HubConfigError, validateHubConfig } from '../../config/load-config.js';
import { parseS3Url } from '../s3-config.js';
import { tmp } from './fake-hearing.js';

// `archive.url` / `archive.s3` as the hub loads them: each bad value is refused naming its field, and a
// credentials file's content never appears in the message.

const problemsOf = (archive: object) => {
  try {
    validateHubConfig({ archive });
    return [];
  } catch (err) {
    if (!(err instanceof HubConfigError)) throw err;
    return err.problems;
  }
};

describe('archive S3 config', () => {
  it('s3://bucket/prefix → bucket and key prefix; "" = the filesystem archive', () => {
    expect(parseS3Url('s3://reception-archive/tinh/ha-noi/')).toEqual({ bucket: 'reception-archive', prefix: 'tinh/ha-noi/' });
    expect(parseS3Url('s3://reception-archive')).toEqual({ bucket: 'reception-archive', prefix: '' });
    expect(parseS3Url('')).toBeUndefined();
    expect(problemsOf({})).toEqual([]);
  });

  it('a bad url, endpoint or credentials file names the field (Vietnamese first), never the secret', () => {
    for (const url of ['http://bucket/x', 's3://B', 's3://bucket/../x', 's3://bucket//x'])
      expect(problemsOf({ url })[0]).toMatchObject({
        path: '/archive/url',
        message: expect.stringMatching(/^địa chỉ kho S3 không hợp lệ \//),
      });
    expect(problemsOf({ url: 's3://bucket', s3: { endpoint: 'minio:9000' } })[0]?.path).toBe('/archive/s3/endpoint');
    const [withUser] = problemsOf({ url: 's3://bucket', s3: { endpoint: 'https://AKIAEXAMPLE:TOP-SECRET@minio:9000' } });
    expect(withUser).toMatchObject({ path: '/archive/s3/endpoint', message: expect.stringMatching(/^điểm truy cập S3 không được chứa/) });
    expect(withUser!.message).not.toContain('TOP-SECRET');
    expect(problemsOf({ url: 's3://bucket', s3: { credentialsFile: '/nonexistent/s3.json' } })[0]).toMatchObject({
      path: '/archive/s3/credentialsFile',
      message: expect.stringContaining('ENOENT'),
    });
    const file = join(tmp('s3cfg-'), 's3.json');
    writeFileSync(file, JSON.stringify({ accessKeyId: 'AKIAEXAMPLE', secret: 'TOP-SECRET-VALUE' }), { mode: 0o600 });
    const [p] = problemsOf({ url: 's3://bucket', s3: { credentialsFile: file } });
    expect(p).toMatchObject({ path: '/archive/s3/credentialsFile', message: expect.stringContaining('secretAccessKey') });
    expect(p!.message).not.toContain('TOP-SECRET-VALUE');
    expect(p!.message).not.toContain('AKIAEXAMPLE');
    expect(problemsOf({ url: 's3://bucket/p', s3: { region: 'x' }, bogus: 1 })[0]?.path).toBe('/archive/bogus');
  });
});
