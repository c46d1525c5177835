import type { Candidate, SubscriptionLeg } from '../sfu/media-plane.js';
import { BadSdpError } from '../sfu/publish-leg.js';
import { sdpProblem } from '../sfu/sdp-filter.js';
import type { HandleStats } from './janus-admin.js';
import type { JanusSession } from './janus-client.js';
import { JanusRefusedError, MediaUnavailableError } from './janus-errors.js';
import { type JanusPublishLeg, VIDEOROOM } from './janus-publish-leg.js';

/** VideoRoom 428 "No such feed": the publisher's connection is not up in Janus yet. */
const NO_SUCH_FEED = 428;

// One publisher's feed to one subscriber through Janus: a subscriber handle joins the publisher's room with its
// feed; Janus's offer is the hub's `subscribe-offer`, the subscriber's answer goes back with `start`.
// Janus itself sends the publisher a PLI for a new subscriber; `connected` lets the hub also ask the room's encoder.

export class JanusSubscribeLeg implements SubscriptionLeg {
  state = 'new';
  /** from Janus's Admin API (janus-plane.ts reads it every few seconds); null without it */
  stats: HandleStats | null = null;
  handle: number | undefined;

  constructor(
    readonly session: JanusSession,
    readonly sid: string,
    readonly publisherId: string,
    readonly subscriberId: string,
    readonly publisher: JanusPublishLeg,
    private readonly connected: () => void,
    private readonly waitMs = 20_000,
  ) {}

  get sent() {
    return this.stats?.out ?? null;
  }

  async offer(): Promise<string> {
    await within(this.publisher.up, this.waitMs, `publisher "${this.publisherId}" not up in Janus`);
    const handle = await this.session.attach(VIDEOROOM);
    this.handle = handle;
    if (this.state === 'closed') {
      await this.session.detach(handle);
      throw new Error(`subscription ${this.sid} closed`);
    }
    this.session.onEvent(handle, (e) => {
      if (e.janus === 'webrtcup' && this.state !== 'closed') {
        this.state = 'connected';
        this.connected();
      } else if (e.janus === 'hangup' && this.state !== 'closed') this.state = 'failed';
    });
    const join = { request: 'join', ptype: 'subscriber', room: this.publisher.room, streams: [{ feed: this.publisher.feed }] };
    // webrtcup of the publisher can reach us a moment before the feed is listed: a few tries.
    for (let i = 0; ; i++) {
      try {
        const joined = await this.session.message(handle, join);
        if (!joined.jsep) throw new MediaUnavailableError(`Janus gave no offer for feed ${this.publisher.feed}`);
        this.state = 'connecting';
        return joined.jsep.sdp;
      } catch (err) {
        if (!(err instanceof JanusRefusedError && err.code === NO_SUCH_FEED) || i >= 20) throw err;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  }

  async accept(answerSdp: string): Promise<void> {
    const problem = sdpProblem(answerSdp);
    if (problem) throw new BadSdpError(`subscribe answer refused: ${problem}`);
    if (this.handle === undefined) throw new BadSdpError('subscribe answer before the offer');
    await this.session.message(this.handle, { request: 'start' }, { type: 'answer', sdp: answerSdp }).catch((err: unknown) => {
      throw err instanceof JanusRefusedError ? new BadSdpError(`subscribe answer refused by Janus: ${err.message}`) : err;
    });
    await this.session.trickle(this.handle, { completed: true });
  }

  async addIceCandidate(c: Candidate): Promise<void> {
    if (this.handle !== undefined) await this.session.trickle(this.handle, c);
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'closed';
    if (this.handle !== undefined) await this.session.detach(this.handle);
  }
}

export function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new MediaUnavailableError(`${what} within ${ms} ms`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}
