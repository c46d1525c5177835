import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { NotFoundError } from '../../common/errors.js';
import { sendError } from '../../common/http/error-reply.js';
import type { HearingStore } from '../hearings/hearing-store.js';
import type { Conference } from '../sfu/conference.js';
import { iceUfragOf, parseSdpFrag } from './sdp-frag.js';
import type { OriginPolicy } from '../auth/origin-policy.js';
import { corsHeaders, optionsHandler } from './cors.js';

// WHIP (RFC 9725) publishers and WHEP viewers. POST an SDP offer → 201 + Location + ETag + answer;
// PATCH the resource with a trickle-ice-sdpfrag: candidates (204); new ICE credentials (an ICE restart) → 422,
// with the reason (below): DELETE and POST again; DELETE ends the session.

export interface WhipRouteOptions {
  store: HearingStore;
  conference: Conference;
  publicUrl: string;
  /** Browser origins allowed cross-origin (CORS); none without it. */
  policy?: Pick<OriginPolicy, 'originAllowed'>;
  /** RFC 9725 §4.6 `Link: rel="ice-server"` values for an authenticated caller (hub/turn: STUN, TURN with credentials). */
  iceLinks?: (who: string) => string[];
}

interface Resource {
  etag: string;
  remoteUfrag: string | undefined;
  pc: { addIceCandidate(c: { candidate: string; sdpMid?: string }): Promise<void> };
  drop(): Promise<void>;
}

const SDP = 'application/sdp';
const FRAG = 'application/trickle-ice-sdpfrag';
const Params = Type.Object({ id: Type.String(), pid: Type.Optional(Type.String()), rid: Type.Optional(Type.String()) });

export async function whipRoutes(fastify: FastifyInstance, opts: WhipRouteOptions) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { store, conference } = opts;
  const resources = new Map<string, Resource>();
  app.addContentTypeParser([SDP, FRAG], { parseAs: 'string' }, (_req, body, done) => done(null, body));

  corsHeaders(app, opts.policy); // only the configured origins, never `*` (cors.ts)
  // Officers (API token or session), or a ticket for this hearing (POST /api/v1/hearings/:id/tickets):
  // `Authorization: Bearer` only. CORS preflights are public.
  const publish = { role: 'officer', bearerOnly: true, ticket: 'publish' } as const;
  const view = { role: 'officer', bearerOnly: true, ticket: 'view' } as const;
  const either = { role: 'officer', bearerOnly: true, ticket: 'by-proto' } as const;
  const preflight = { role: 'public' } as const;

  const activeHearing = (id: string) => {
    const h = store.find(id);
    if (!h || h.state !== 'active') throw new NotFoundError(`hearing "${id}" does not exist or has ended`);
    return h;
  };
  const offerOf = (req: FastifyRequest, reply: FastifyReply): string | null => {
    if (!String(req.headers['content-type'] ?? '').startsWith(SDP)) {
      sendError(reply, 415, 'INVALID_REQUEST', `Content-Type must be ${SDP}`);
      return null;
    }
    const body = typeof req.body === 'string' ? req.body : '';
    if (!body.startsWith('v=0') || !/^m=/m.test(body)) {
      sendError(reply, 400, 'BAD_SDP', 'body is not an SDP offer (v=0 … m=)', { field: 'body' });
      return null;
    }
    return body;
  };
  const created = (reply: FastifyReply, location: string, key: string, answer: string, res: Omit<Resource, 'etag'>) => {
    const etag = `"${key}-${Date.now().toString(36)}"`;
    resources.set(location, { ...res, etag });
    const links = opts.iceLinks?.(key) ?? [];
    if (links.length > 0) reply.header('link', links); // hub/turn: STUN/TURN for this caller
    return reply
      .code(201)
      .header('content-type', SDP)
      .header('location', `${opts.publicUrl}${location}`)
      .header('etag', etag)
      .header('accept-patch', FRAG)
      .send(answer);
  };
  const options = (allow: string, accept: { post?: string; patch?: string }) => optionsHandler(opts.policy, allow, accept);

  app.options('/whip/hearings/:id', { config: preflight }, options('OPTIONS, POST', { post: SDP }));
  app.options('/whep/hearings/:id', { config: preflight }, options('OPTIONS, POST', { post: SDP }));
  app.options('/whep/hearings/:id/participants/:pid', { config: preflight }, options('OPTIONS, POST', { post: SDP }));
  app.options('/:proto/hearings/:id/resources/:rid', { config: preflight }, options('OPTIONS, PATCH, DELETE', { patch: FRAG }));

  app.post('/whip/hearings/:id', { config: publish, schema: { params: Params } }, async (req, reply) => {
    const hearing = activeHearing(req.params.id);
    const offer = offerOf(req, reply);
    if (offer === null) return reply;
    const name = typeof (req.query as { name?: unknown }).name === 'string' ? (req.query as { name: string }).name : 'WHIP';
    const member = conference.join({
      info: { id: conference.nextId('whip'), kind: 'whip', name },
      send: () => {},
      subscribes: false,
      hearing: hearing.id,
    });
    try {
      const answer = await conference.publish(member, offer);
      const location = `/whip/hearings/${hearing.id}/resources/${member.info.id}`;
      return created(reply, location, member.info.id, answer, {
        remoteUfrag: iceUfragOf(offer),
        pc: member.publish!,
        drop: async () => conference.leave(member),
      });
    } catch (err) {
      conference.leave(member);
      throw err;
    }
  });

  const whep = async (req: FastifyRequest<{ Params: { id: string; pid?: string } }>, reply: FastifyReply) => {
    const hearing = activeHearing(req.params.id);
    const pid = req.params.pid ?? hearing.rooms[0];
    const inHearing = pid && (hearing.rooms.includes(pid) || conference.member(pid)?.hearingId === hearing.id);
    if (!pid || !inHearing)
      throw new NotFoundError(pid ? `participant "${pid}" is not in hearing "${hearing.id}"` : `hearing "${hearing.id}" has no room`);
    const offer = offerOf(req, reply);
    if (offer === null) return reply;
    const { id, sdp, leg } = await conference.watch(pid, offer);
    const location = `/whep/hearings/${hearing.id}/resources/${id}`;
    return created(reply, location, id, sdp, { remoteUfrag: iceUfragOf(offer), pc: leg, drop: () => conference.unwatch(id) });
  };
  app.post('/whep/hearings/:id', { config: view, schema: { params: Params } }, whep);
  app.post('/whep/hearings/:id/participants/:pid', { config: view, schema: { params: Params } }, whep);

  const resourceOf = (req: FastifyRequest) => {
    const path = req.url.split('?')[0]!;
    const res = resources.get(path);
    if (!res) throw new NotFoundError(`no WHIP/WHEP session at ${path}`);
    return { path, res };
  };

  app.patch('/:proto/hearings/:id/resources/:rid', { config: either }, async (req, reply) => {
    const { res } = resourceOf(req);
    if (!String(req.headers['content-type'] ?? '').startsWith(FRAG))
      return sendError(reply.header('accept-patch', FRAG), 415, 'INVALID_REQUEST', `Content-Type must be ${FRAG}`); // RFC 5789 §2.2
    const ifMatch = req.headers['if-match'];
    if (ifMatch && ifMatch !== '*' && ifMatch !== res.etag)
      return sendError(reply, 412, 'CONFLICT', 'If-Match does not match the session ETag');
    const frag = parseSdpFrag(String(req.body ?? ''));
    if (frag.ufrag && res.remoteUfrag && frag.ufrag !== res.remoteUfrag) {
      // RFC 9725: a session with trickle but no ICE restart answers 422. werift 0.25.2 does restart as answerer (new
      // credentials, checks complete) but its outgoing packets never take the new path: measured with Chromium, a WHEP
      // viewer received none of 518 RTP packets sent after the restart, a WHIP publisher no PLI (docs/INTEROP.md).
      return sendError(
        reply,
        422,
        'ICE_RESTART_UNSUPPORTED',
        'ICE restart is not supported by this hub (its WebRTC stack sends nothing on the new path): DELETE this session and POST a new offer',
      );
    }
    for (const c of frag.candidates) await res.pc.addIceCandidate({ candidate: c.candidate, sdpMid: c.mid }).catch(() => {});
    return reply.code(204).send();
  });

  app.delete('/:proto/hearings/:id/resources/:rid', { config: either }, async (req, reply) => {
    const { path, res } = resourceOf(req);
    resources.delete(path);
    await res.drop();
    return reply.code(200).send();
  });

  app.addHook('onClose', async () => {
    await Promise.all([...resources.values()].map((r) => r.drop().catch(() => {})));
    resources.clear();
  });
}
