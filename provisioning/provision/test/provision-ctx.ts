import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { openConfigStore, validateConfig } from '../../../daemon/config/load-config.js';
import { answersAsker } from '../asker.js';
import { configEditor, type Ctx } from '../context.js';
import { openProgress } from '../progress.js';

/** A provisioning context for one step's test: a fresh config and state dir, answers from `answers`, what it says kept. */
export async function provisionCtx(answers: Record<string, unknown>) {
  const dir = mkdtempSync(join(tmpdir(), 'provision-step-'));
  const configFile = join(dir, 'config.json');
  await (await openConfigStore(configFile)).write(validateConfig({ paths: { state: join(dir, 'state'), recordings: join(dir, 'rec') } }));
  const said: string[] = [];
  const out = new Writable({
    write(chunk, _enc, done) {
      said.push(String(chunk));
      done();
    },
  });
  const { editConfig, readConfig } = await configEditor(configFile);
  const stateDir = join(dir, 'state');
  const ctx: Ctx = {
    ask: answersAsker(answers, 'answers.json', out),
    configFile,
    stateDir,
    progress: await openProgress(stateDir),
    editConfig,
    readConfig,
    flags: {},
  };
  return { ctx, dir, said };
}
