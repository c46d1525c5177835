import { BadSdpError } from '../sfu/publish-leg.js';
import type { Candidate, PublishLeg } from '../sfu/media-plane.js';
import { acceptBundleOnly, keepBaselineH264, sdpProblem } from '../sfu/sdp-filter.js';
import type { HandleStats } from './janus-admin.js';
import type { JanusSession } from './janus-client.js';
import { JanusRefusedError } from './janus-errors.js';

// A participant's publish connection into Janus: a VideoRoom room of its own (created here, destroyed on
// close), a publisher handle that joins it and publishes with the participant's offer; Janus's answer is the
// hub's `publish-answer`. One room per publisher, not per hearing: a room's gateway publishes once when it
// connects — before its hearing exists and across hearings — and the signaling has no "publish again".

export const VIDEOROOM = 'janus.plugin.videoroom';

export class JanusPublishLeg implements PublishLeg {
  state = 'connecting';
  /** from Janus's Admin API (janus-plane.ts reads it every few seconds); null without it */
  stats: HandleStats | null = null;
  /** Resolves when Janus has the publisher's connection up (subscribers can join its feed from then on). */
  readonly up: Promise<void>;
  private markUp!: () => void;

  private constructor(
    readonly session: JanusSession,
    readonly handle: number,
    readonly room: number,
    readonly feed: number,
    readonly answer: string,
  ) {
    this.up = new Promise((resolve) => {
      this.markUp = resolve;
    });
  }

  static async create(session: JanusSession, participantId: string, offerSdp: string): Promise<JanusPublishLeg> {
    const problem = sdpProblem(offerSdp);
    if (problem) throw new BadSdpError(`publish offer refused: ${problem}`);
    const handle = await session.attach(VIDEOROOM);
    const events: { janus: string }[] = []; // events before the leg exists (webrtcup can beat the answer's return)
    let leg: JanusPublishLeg | undefined;
    let room: number | undefined;
    session.onEvent(handle, (e) => (leg ? leg.onEvent(e.janus) : events.push(e)));
    try {
      // bitrate 0: no REMB cap from Janus (the gateway's rate controller follows TWCC); fir_freq 0: PLI on demand only.
      // No room id of ours: Janus picks one no other room has (every hub node shares its id space).
      const create = { request: 'create', publishers: 1, videocodec: 'h264', audiocodec: 'opus', bitrate: 0, fir_freq: 0 };
      const created = await session.message(handle, { ...create, is_private: true, description: participantId });
      room = Number(created.plugindata?.data.room);
      if (!Number.isSafeInteger(room))
        throw new Error(`Janus created a VideoRoom without telling its id (${JSON.stringify(created.plugindata?.data)})`);
      const joined = await session.message(handle, { request: 'join', ptype: 'publisher', room, display: participantId });
      const jsep = { type: 'offer' as const, sdp: keepBaselineH264(acceptBundleOnly(offerSdp)) };
      const published = await session.message(handle, { request: 'publish' }, jsep).catch((err: unknown) => {
        throw err instanceof JanusRefusedError ? new BadSdpError(`publish offer refused by Janus: ${err.message}`) : err;
      });
      if (!published.jsep) throw new BadSdpError('publish offer refused: Janus gave no answer');
      await session.trickle(handle, { completed: true }); // the offer carried every candidate (no trickle in our signaling)
      leg = new JanusPublishLeg(session, handle, room, joined.plugindata!.data.id as number, published.jsep.sdp);
      for (const e of events) leg.onEvent(e.janus);
      return leg;
    } catch (err) {
      if (room !== undefined) await session.message(handle, { request: 'destroy', room }).catch(() => undefined);
      await session.detach(handle);
      throw err;
    }
  }

  /** from the Admin API's selected ICE pair; null without it */
  get path() {
    return this.stats?.path ?? null;
  }

  get received() {
    return this.stats?.in ?? null;
  }

  private onEvent(kind: string): void {
    if (kind === 'webrtcup') {
      this.state = 'connected';
      this.markUp();
    } else if (kind === 'hangup' && this.state !== 'closed') this.state = 'failed';
  }

  /** Janus asks the publisher for a keyframe by RTCP PLI (VideoRoom `configure` with `keyframe`). */
  requestKeyframe(): void {
    if (this.state === 'connected') void this.session.message(this.handle, { request: 'configure', keyframe: true }).catch(() => undefined);
  }

  async addIceCandidate(c: Candidate): Promise<void> {
    await this.session.trickle(this.handle, c);
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'closed';
    // Destroying the room ends its subscribers too (they are closed by the conference anyway).
    await this.session.message(this.handle, { request: 'destroy', room: this.room }).catch(() => undefined);
    await this.session.detach(this.handle);
  }
}
