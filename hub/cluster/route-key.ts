import type { IncomingMessage } from 'node:http';
import { tokenFrom } from '../../common/http/credentials.js';
import { HUB_API } from '../../common/contracts/route.js';

// Which hearing a request is about, when its media lives on one node: WHIP/WHEP (the hearing in the path),
// a hearing's stats (its legs' counters), its WHIP/WHEP tickets (signed with the issuing process's key, so
// the holder issues them), one hearing read (its participants are the holder's connections), the signaling
// socket (an officer's `?hearing=`, a room's active hearing found by its credential). Anything else is
// answered by whichever node got it (state is shared).

export interface RouteLookups {
  /** The room a credential belongs to (the registry's roomByToken). */
  roomByToken(token: string): string | undefined;
  /** The active hearing a room is in. */
  activeHearingOf(room: string): string | undefined;
}

const MEDIA_PATH = /^\/(?:whip|whep)\/hearings\/([^/?#]+)/;
const HOLDER_PATH = new RegExp(`^${HUB_API}/hearings/([^/?#]+)/(?:stats|tickets)(?:[?#]|$)`);
const HEARING_READ = new RegExp(`^${HUB_API}/hearings/([^/?#]+)(?:[?#]|$)`);
const SIGNAL_PATH = new RegExp(`^${HUB_API}/signal(?:[?#]|$)`);

/** The hearing id the request must be handled where it is held, or undefined (any node answers). */
export function hearingOfRequest(req: Pick<IncomingMessage, 'url' | 'headers' | 'method'>, look: RouteLookups): string | undefined {
  const url = req.url ?? '/';
  const media = MEDIA_PATH.exec(url) ?? HOLDER_PATH.exec(url) ?? (req.method === 'GET' ? HEARING_READ.exec(url) : null);
  if (media) return decodeURIComponent(media[1]!);
  if (!SIGNAL_PATH.test(url)) return undefined;
  const officerHearing = new URL(url, 'http://x').searchParams.get('hearing');
  if (officerHearing) return officerHearing;
  const token = tokenFrom(req.headers);
  const room = token ? look.roomByToken(token) : undefined;
  return room ? look.activeHearingOf(room) : undefined;
}
