import { EventEmitter } from 'node:events';
import { silentLogger } from '../../../../common/log.js';
import type { Config } from '../../../config/schema.js';
import type { DspEvents } from '../../../drivers/dsp/dsp-driver.js';
import { SimPtz } from '../../../drivers/ptz/sim-ptz.js';
import type { AuditEntry } from '../../audit/audit-log.js';
import { createEventBus } from '../../events/event-bus.js';
import { createAudioFollow } from '../create-audio-follow.js';
import { SETTINGS } from './scripted-room.js';

/** The room's shots on the simulated camera: who sits where (generic units). */
export const SHOTS = {
  Citizen: { pan: -0.5, tilt: 0, zoom: 0.6 },
  Officer: { pan: 0.5, tilt: 0, zoom: 0.6 },
  Room: { pan: 0, tilt: 0, zoom: 0 },
} as const;

// The scripted room's thresholds as the config section (one microphone each for citizen and officer).
const { staleMs: _daemonOwned, rules, ...thresholds } = SETTINGS;
export const FOLLOW: Config['audioFollow'] = {
  enabled: true,
  camera: 'cam1',
  rules: rules.filter((r) => r.channel !== 'officer2'),
  ...thresholds,
  manualPauseSeconds: 30,
};

/** SimPtz with the three shots stored, and a camera that can be told which preset it was last sent to. */
export function simCamera(id = 'cam1') {
  const cam = new SimPtz({ id, timeoutMs: 1500 });
  for (const [token, position] of Object.entries(SHOTS)) cam.model.setPreset(token, token, position);
  const recalled: string[] = [];
  const goto = cam.gotoPreset.bind(cam);
  cam.gotoPreset = async (token, speed) => {
    await goto(token, speed);
    recalled.push(token);
  };
  return { cam, recalled };
}

/** The module over an in-process meter source (a DSP's `meter` events), a SimPtz, the bus and an audit list. */
export function followRig(config: Config['audioFollow'] = FOLLOW) {
  const { cam, recalled } = simCamera();
  const dsp = { events: new EventEmitter<DspEvents>() };
  const bus = createEventBus();
  const audit: AuditEntry[] = [];
  const follow = createAudioFollow({
    config,
    meterRateMs: 200,
    cameras: new Map([['cam1', { driver: cam }]]),
    dsp,
    bus,
    audit: { record: async (e) => void audit.push(e) },
    logger: silentLogger(),
  });
  const levels = new Map<string, number>();
  const meters = setInterval(() => levels.forEach((db, channel) => dsp.events.emit('meter', { channel, db, at: Date.now() })), 200);
  return {
    cam,
    recalled,
    bus,
    audit,
    follow,
    /** Holds a channel's meter at `db` (as TesiraDspSim.scriptMeter does on the wire); null: its meter stops. */
    level: (channel: string, db: number | null) => (db === null ? levels.delete(channel) : levels.set(channel, db)),
    async close() {
      clearInterval(meters);
      await follow.stop();
      await cam.stop();
    },
  };
}
