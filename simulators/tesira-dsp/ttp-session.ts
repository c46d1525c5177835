import {
  ADDRESS_NOT_FOUND,
  ALREADY_SUBSCRIBED,
  formatErr,
  formatOk,
  formatPublish,
  splitCommand,
} from '../../common/protocols/tesira-ttp/index.js';
import { ATTRIBUTES, CLASS_NAMES, makeBlock, type Block, type BlockSpec, type PresetStep } from './blocks.js';

interface Subscription {
  block: Block;
  attribute: string;
  index: number;
  token: string;
  rateMs: number;
  last?: string;
  lastAt: number;
}

/**
 * One TTP session on a simulated Tesira: the design's blocks, the session's verbose flag and its
 * subscriptions. `execute` takes one command line and returns the reply lines, no I/O.
 */
export class TtpSession {
  readonly blocks = new Map<string, Block>();
  private readonly subs = new Map<string, Subscription>();
  verbose = true;
  private unlabelled = 0;

  constructor(
    specs: BlockSpec[],
    private readonly presets: Record<number, PresetStep[]>,
  ) {
    for (const s of specs) this.blocks.set(s.tag, makeBlock(s));
  }

  execute(line: string): string[] {
    const split = splitCommand(line);
    if (!split || split.tokens.length === 0) return [formatErr('Parse error at 0: could not parse command')];
    const { tokens: t, offsets } = split;
    const parseError = (at: number, what: string) => [formatErr(`Parse error at ${at}: ${what}`)];
    if (t.length < 2) return parseError(line.length, 'not enough parameters supplied');
    if (t[0] === 'SESSION') return this.session(t, offsets, line);
    if (t[0] === 'DEVICE') return this.device(t, offsets, line);
    const block = this.blocks.get(t[0]);
    if (!block) return [formatErr(ADDRESS_NOT_FOUND)];
    const verb = t[1];
    if (!['get', 'set', 'toggle', 'increment', 'decrement', 'subscribe', 'unsubscribe'].includes(verb))
      return parseError(offsets[1], 'verb was not one of the commands supported by Attributes');
    if (t.length < 3) return parseError(line.length, 'not enough parameters supplied');
    const def = ATTRIBUTES[block.spec.type][t[2]];
    if (!def || !def.verbs.includes(verb)) return [formatErr(`'${t[2]}' is not supported by ${CLASS_NAMES[block.spec.type]}::Attributes`)];
    let next = 3;
    let index = 0;
    if (def.indexed) {
      if (t.length <= next) return parseError(line.length, 'not enough parameters supplied');
      index = Number(t[next]);
      if (!Number.isInteger(index)) return parseError(offsets[next], 'could not parse value');
      if (index < 1 || index > block.spec.channels)
        return [formatErr(`INVALID_PARAMETER Index out of range:channelIndex min:1 max:${block.spec.channels} received:${index}`)];
      next++;
    }
    const i = index - 1;
    if (verb === 'get') return [formatOk(def.read(block, i), this.verbose)];
    if (verb === 'subscribe' || verb === 'unsubscribe') return this.subscribe(verb, block, t[2], index, t.slice(next));
    if (!def.write) return [formatErr(`'${t[2]}' is not supported by ${CLASS_NAMES[block.spec.type]}::Attributes`)];
    if (verb === 'toggle') {
      def.write(block, i, !def.read(block, i));
      return [formatOk()];
    }
    if (t.length <= next) return parseError(line.length, 'not enough parameters supplied');
    const value = parseArg(t[next], def.value);
    if (value === undefined) return parseError(offsets[next], 'could not parse value');
    const step = verb === 'increment' ? 1 : verb === 'decrement' ? -1 : 0;
    const range = step === 0 && def.range?.(block);
    if (range && (Number(value) < range[0] || Number(value) > range[1])) return [outOfRange(t[2], range, Number(value))];
    def.write(block, i, step === 0 ? value : Number(def.read(block, i)) + step * Number(value));
    return [formatOk()];
  }

  private subscribe(verb: string, block: Block, attribute: string, index: number, rest: string[]): string[] {
    const token = rest[0] ?? '';
    // A label names one subscription of the session: subscribing again with it is refused while the
    // first one lives (-ERR ALREADY_SUBSCRIBED, see README); unlabelled ones simply pile up.
    const key = token === '' ? `\u0000${++this.unlabelled}` : token;
    if (verb === 'unsubscribe') {
      this.subs.delete(key);
      return [formatOk()];
    }
    if (token !== '' && this.subs.has(key)) return [formatErr(ALREADY_SUBSCRIBED)];
    const rateMs = rest[1] === undefined ? 1000 : Number(rest[1]);
    if (!Number.isFinite(rateMs) || rateMs < 0) return [formatErr('Parse error: could not parse value')];
    const sub: Subscription = { block, attribute, index, token, rateMs: Math.max(rateMs, 20), lastAt: 0 };
    this.subs.set(key, sub);
    return [this.publishLine(sub, Date.now()), formatOk()];
  }

  /** Lines due now: meters publish at their rate, controls only when their value changed. */
  publishDue(now: number): string[] {
    const out: string[] = [];
    for (const sub of this.subs.values()) {
      if (now - sub.lastAt < sub.rateMs) continue;
      const isMeter = sub.block.spec.type === 'meter';
      if (isMeter || this.read(sub) !== sub.last) out.push(this.publishLine(sub, now));
    }
    return out;
  }

  /** A reboot or a configuration push ends every subscription (Biamp: "Subscriptions are lost when…"). */
  clearSubscriptions(): void {
    this.subs.clear();
  }

  /** The labels subscribed in this session, for tests. */
  labels(): string[] {
    return [...this.subs.values()].map((s) => s.token);
  }

  private read(sub: Subscription): string {
    return JSON.stringify(ATTRIBUTES[sub.block.spec.type][sub.attribute].read(sub.block, sub.index - 1));
  }

  private publishLine(sub: Subscription, now: number): string {
    sub.last = this.read(sub);
    sub.lastAt = now;
    const value = ATTRIBUTES[sub.block.spec.type][sub.attribute].read(sub.block, sub.index - 1);
    return formatPublish(sub.token, value, this.verbose);
  }

  private session(t: string[], offsets: number[], line: string): string[] {
    if (t[1] === 'get' && t[2] === 'aliases')
      return [formatOk(['DEVICE', ...this.blocks.keys()].sort(), this.verbose).replace('"value"', '"list"')];
    if (t[2] !== 'verbose')
      return t[1] === 'get' || t[1] === 'set'
        ? [formatErr(`'${t[2] ?? ''}' is not supported by TextSession::Attributes`)]
        : [formatErr(`Parse error at ${offsets[1]}: verb was not one of the commands supported by Services`)];
    if (t[1] === 'get') return [formatOk(this.verbose, this.verbose)];
    if (t[1] !== 'set') return [formatErr(`Parse error at ${offsets[1]}: verb was not one of the commands supported by Services`)];
    if (t.length < 4) return [formatErr(`Parse error at ${line.length}: not enough parameters supplied`)];
    const v = parseArg(t[3], 'bool');
    if (v === undefined) return [formatErr(`Parse error at ${offsets[3]}: could not parse value`)];
    this.verbose = Boolean(v);
    return [formatOk()];
  }

  private device(t: string[], offsets: number[], line: string): string[] {
    if (t[1] !== 'recallPreset') return [formatErr(`Parse error at ${offsets[1]}: verb was not one of the commands supported by Services`)];
    if (t.length < 3) return [formatErr(`Parse error at ${line.length}: not enough parameters supplied`)];
    const id = Number(t[2]);
    if (!Number.isInteger(id)) return [formatErr(`Parse error at ${offsets[2]}: could not parse value`)];
    const steps = this.presets[id];
    if (!steps) return [formatErr(`INVALID_PARAMETER preset not found:${id}`)];
    for (const s of steps) {
      const b = this.blocks.get(s.tag);
      const def = b && ATTRIBUTES[b.spec.type][s.attribute];
      if (b && def?.write && s.index >= 1 && s.index <= b.spec.channels) def.write(b, s.index - 1, s.value);
    }
    return [formatOk()];
  }
}

/** Modelled on the documented `INVALID_PARAMETER Index out of range:channelIndex min:1 max:8 received:10`. */
function outOfRange(attribute: string, [min, max]: [number, number], got: number): string {
  const f = (n: number) => n.toFixed(6);
  return formatErr(`INVALID_PARAMETER Value out of range:${attribute} min:${f(min)} max:${f(max)} received:${f(got)}`);
}

function parseArg(token: string, kind: 'db' | 'bool' | undefined): number | boolean | undefined {
  if (kind === 'bool') return token === 'true' ? true : token === 'false' ? false : undefined;
  const n = Number(token);
  return token.trim() !== '' && Number.isFinite(n) ? n : undefined;
}
