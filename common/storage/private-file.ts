import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

// A file that holds secrets (keys, tokens' hashes, accounts), replaced whole: a fresh O_EXCL temp file
// created with its mode (never readable by others, not even for a moment), fsync, rename. A crash leaves
// the old file or the new one, never half of one. The directory is created 0700 if missing.

export async function writePrivateFile(file: string, text: string, mode = 0o600): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const temp = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const fh = await open(temp, 'wx', mode);
  try {
    await fh.writeFile(text);
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await chmod(temp, mode); // the umask may have narrowed it further; never wider
    await rename(temp, file);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}
