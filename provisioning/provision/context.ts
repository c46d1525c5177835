import { openConfigStore } from '../../daemon/config/load-config.js';
import type { CommissioningCheck } from '../../common/contracts/commissioning.js';
import type { Asker } from './asker.js';
import type { Progress, StepName } from './progress.js';

// What every step gets: the answers, the room config file (read and written whole through the daemon's own
// store, so it is validated exactly as the daemon will read it), the state dir and the progress record.

export type RoomConfig = Awaited<ReturnType<Awaited<ReturnType<typeof openConfigStore>>['read']>>;

export interface Ctx {
  ask: Asker;
  configFile: string;
  stateDir: string;
  progress: Progress;
  /** Reads the config, lets `change` edit it, validates and writes it back. */
  editConfig(change: (c: RoomConfig) => void): Promise<RoomConfig>;
  readConfig(): Promise<RoomConfig>;
  /** Command-line choices (e.g. --no-install). */
  flags: { install?: boolean };
}

export interface StepResult {
  checks: CommissioningCheck[];
  data?: Record<string, unknown>;
}

export interface Step {
  name: StepName;
  vi: string;
  en: string;
  run(ctx: Ctx): Promise<StepResult>;
}

export async function configEditor(file: string) {
  const store = await openConfigStore(file);
  return {
    readConfig: () => store.read(),
    async editConfig(change: (c: RoomConfig) => void) {
      const c = await store.read();
      change(c);
      await store.write(c);
      return store.read(); // read back: the daemon's validation, naming a bad field
    },
  };
}
