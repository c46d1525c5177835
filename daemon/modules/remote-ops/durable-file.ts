import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

// Writes that survive a power cut at any point: the bytes to a temp file in the same directory, fsync,
// rename over the target, fsync the directory (so the rename itself is on disk). A reader sees the old
// file or the new one, never a torn one. Config files hold camera passwords: 0600 from the first byte.

async function fsyncDir(dir: string) {
  const fd = await open(dir, 'r');
  try {
    await fd.sync();
  } finally {
    await fd.close();
  }
}

export async function writeDurable(file: string, data: string | Buffer, mode = 0o600): Promise<void> {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  const fd = await open(tmp, 'w', mode);
  try {
    await fd.writeFile(data);
    await fd.sync();
  } finally {
    await fd.close();
  }
  await rename(tmp, file);
  await fsyncDir(dirname(file));
}

export async function removeDurable(file: string): Promise<void> {
  if (!existsSync(file)) return;
  await rm(file, { force: true });
  await fsyncDir(dirname(file));
}

export const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** The file's bytes and their hash; null when there is no such file. */
export async function readWithHash(file: string): Promise<{ text: string; sha256: string } | null> {
  if (!existsSync(file)) return null;
  const text = await readFile(file, 'utf8');
  return { text, sha256: sha256(text) };
}
