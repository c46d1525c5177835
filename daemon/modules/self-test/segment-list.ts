import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseManifest } from '../../../common/evidence/index.js';

/** The segments a hearing's manifest lists (file and hash): what must come back receipted. */
export async function segmentList(dir: string) {
  const { entries } = parseManifest(await readFile(join(dir, 'manifest.jsonl'), 'utf8'));
  return { entries: entries.flatMap((e) => (e.kind === 'segment' ? [{ file: e.file, sha256: e.sha256 }] : [])) };
}
