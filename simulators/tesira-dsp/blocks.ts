import type { TtpValue } from '../../common/protocols/tesira-ttp/index.js';

// The DSP blocks a simulated Tesira design holds, with the attribute tables Biamp publishes for
// Level, Mute and (peak/RMS) Meter blocks, reduced to what a room appliance uses.

export type BlockSpec =
  | { tag: string; type: 'level'; channels: number; minLevel?: number; maxLevel?: number }
  | { tag: string; type: 'mute'; channels: number }
  | { tag: string; type: 'meter'; channels: number };

export interface Block {
  spec: BlockSpec;
  minLevel: number;
  maxLevel: number;
  level: number[];
  mute: boolean[];
  meter: number[];
}

/** One attribute of a block type: which verbs it takes, whether it is per channel, how to read/write it. */
export interface AttributeDef {
  verbs: readonly string[];
  indexed: boolean;
  value?: 'db' | 'bool';
  read(b: Block, i: number): TtpValue;
  write?(b: Block, i: number, v: number | boolean): void;
  /** The values `set` accepts; outside them a real unit answers INVALID_PARAMETER (see README). */
  range?(b: Block): [min: number, max: number];
}

const clamp = (b: Block, db: number) => Math.min(b.maxLevel, Math.max(b.minLevel, db));
const LEVEL_VERBS = ['get', 'set', 'increment', 'decrement', 'subscribe', 'unsubscribe'] as const;
const MUTE_VERBS = ['get', 'set', 'toggle', 'subscribe', 'unsubscribe'] as const;
const LIST_VERBS = ['get', 'subscribe', 'unsubscribe'] as const;

const mute: AttributeDef = {
  verbs: MUTE_VERBS,
  indexed: true,
  value: 'bool',
  read: (b, i) => b.mute[i],
  write: (b, i, v) => void (b.mute[i] = Boolean(v)),
};
const numChannels: AttributeDef = { verbs: ['get'], indexed: false, read: (b) => b.spec.channels };
const mutes: AttributeDef = { verbs: LIST_VERBS, indexed: false, read: (b) => [...b.mute] };

export const ATTRIBUTES: Record<BlockSpec['type'], Record<string, AttributeDef>> = {
  level: {
    // `set` outside minLevel..maxLevel is refused (range, checked by the session); increment and
    // decrement stop at the ends, which is what `clamp` is for.
    level: {
      verbs: LEVEL_VERBS,
      indexed: true,
      value: 'db',
      read: (b, i) => b.level[i],
      write: (b, i, v) => void (b.level[i] = clamp(b, Number(v))),
      range: (b) => [b.minLevel, b.maxLevel],
    },
    levels: { verbs: LIST_VERBS, indexed: false, read: (b) => [...b.level] },
    minLevel: { verbs: ['get'], indexed: false, read: (b) => b.minLevel },
    maxLevel: { verbs: ['get'], indexed: false, read: (b) => b.maxLevel },
    mute,
    mutes,
    numChannels,
  },
  mute: { mute, mutes, numChannels },
  meter: {
    level: { verbs: LIST_VERBS, indexed: true, read: (b, i) => Math.round(b.meter[i] * 10) / 10 },
    levels: { verbs: LIST_VERBS, indexed: false, read: (b) => b.meter.map((v) => Math.round(v * 10) / 10) },
    numChannels,
  },
};

/** Class names for `'x' is not supported by <Class>::Attributes` (modelled on TextSession::Attributes). */
export const CLASS_NAMES: Record<BlockSpec['type'], string> = { level: 'LevelControl', mute: 'MuteControl', meter: 'Meter' };

export function makeBlock(spec: BlockSpec): Block {
  const n = spec.channels;
  const minLevel = spec.type === 'level' ? (spec.minLevel ?? -100) : -100;
  const maxLevel = spec.type === 'level' ? (spec.maxLevel ?? 12) : 12;
  return { spec, minLevel, maxLevel, level: Array(n).fill(0), mute: Array(n).fill(false), meter: Array(n).fill(-60) };
}

export const DEFAULT_BLOCKS: BlockSpec[] = [
  { tag: 'Level1', type: 'level', channels: 4 },
  { tag: 'Mute1', type: 'mute', channels: 4 },
  { tag: 'Meter1', type: 'meter', channels: 4 },
];

/** A preset stores attribute values; recalling it writes them back. */
export interface PresetStep {
  tag: string;
  attribute: 'level' | 'mute';
  index: number;
  value: number | boolean;
}

/** 1001 "hearing": every fader at 0 dB, nothing muted. 1002 "privacy": every mute on. */
export function defaultPresets(blocks: BlockSpec[]): Record<number, PresetStep[]> {
  const steps = (pick: (b: BlockSpec) => PresetStep[]) => blocks.flatMap(pick);
  const each = (b: BlockSpec, f: (i: number) => PresetStep) => Array.from({ length: b.channels }, (_, i) => f(i + 1));
  return {
    1001: steps((b) => [
      ...(b.type === 'level' ? each(b, (i) => ({ tag: b.tag, attribute: 'level', index: i, value: 0 })) : []),
      ...(b.type !== 'meter' ? each(b, (i) => ({ tag: b.tag, attribute: 'mute', index: i, value: false })) : []),
    ]),
    1002: steps((b) => (b.type !== 'meter' ? each(b, (i) => ({ tag: b.tag, attribute: 'mute', index: i, value: true })) : [])),
  };
}
