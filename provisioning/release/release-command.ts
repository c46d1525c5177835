import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateApplianceKey, keyFingerprint, publicKeyPemFromRaw, publicKeyRawFromAnyPem } from '../../common/evidence/keys.js';
import { verifyRelease } from '../../common/release/verify-release.js';
import { buildRelease } from './build-release.js';

export const usage = `Usage: reception release keygen --out DIR
       reception release build --key PRIVATE.pem --out DIR [--root DIR] [--with-modules]
       reception release verify FILE.release.json --key PUBLIC.pem

Bản cập nhật phần mềm có chữ ký cho các máy phòng tiếp dân. Khóa phát hành (Ed25519) do nhóm trung tâm giữ;
mỗi máy chỉ tin khóa công khai được cài khi bàn giao.
Signed software updates for the room boxes. The release key (Ed25519) stays with the central team; each box
trusts only the public key installed when it was commissioned.

  keygen   write DIR/release-private.pem (0600, never overwritten) and DIR/release-public.pem
  build    pack the built app of --root (default: here) into DIR/reception-<version>[-app].tar.gz and sign
           DIR/reception-<version>[-app].release.json; --with-modules adds node_modules (a box that
           cannot reach the npm registry needs them whenever package-lock.json changed)
  verify   check a release file and its archive against a public key (exit 1 with the reason)

Options:
  -h, --help   this help
`;

export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      key: { type: 'string' },
      root: { type: 'string', default: '.' },
      'with-modules': { type: 'boolean', default: false },
    },
  });
  const fail = (why: string) => (process.stderr.write(`${why}\n\n${usage}`), 2);
  if (sub === 'keygen') {
    if (!values.out) return fail('keygen: --out DIR is required');
    const priv = join(values.out, 'release-private.pem');
    if (existsSync(priv)) return fail(`keygen: ${priv} exists; a release key is never overwritten`);
    const key = generateApplianceKey();
    await mkdir(values.out, { recursive: true, mode: 0o700 });
    await writeFile(priv, key.privateKeyPem, { mode: 0o600, flag: 'wx' });
    await writeFile(join(values.out, 'release-public.pem'), publicKeyPemFromRaw(key.publicKeyRaw));
    process.stdout.write(`release key ${keyFingerprint(key.publicKeyRaw)}\n${priv}\n${join(values.out, 'release-public.pem')}\n`);
    return 0;
  }
  if (sub === 'build') {
    if (!values.key || !values.out) return fail('build: --key PRIVATE.pem and --out DIR are required');
    const r = await buildRelease({
      root: resolve(values.root!),
      outDir: resolve(values.out),
      privateKeyPem: await readFile(values.key, 'utf8'),
      withModules: values['with-modules']!,
    });
    process.stdout.write(
      `${r.manifest.version} (${r.manifest.modules}, ${r.manifest.archive.bytes} bytes)\n${r.archive}\n${r.releaseFile}\n`,
    );
    return 0;
  }
  if (sub === 'verify') {
    if (!values.key || positionals.length !== 1) return fail('verify: FILE.release.json and --key PUBLIC.pem are required');
    const v = await verifyRelease(positionals[0]!, publicKeyRawFromAnyPem(await readFile(values.key, 'utf8')));
    if (!v.ok) {
      process.stderr.write(`TỪ CHỐI / REFUSED (${v.refusal.code}): ${v.refusal.vi}\n${v.refusal.en}\n`);
      return 1;
    }
    process.stdout.write(`OK ${v.release.manifest.version} (${v.release.manifest.modules}) ${v.archive}\n`);
    return 0;
  }
  return fail(sub ? `unknown subcommand "${sub}"` : 'a subcommand is required');
}
