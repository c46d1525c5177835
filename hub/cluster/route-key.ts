import type { IncomingMessage } from 'node:http';
import { tokenFrom } from '../../common/http/credentials.js';
import { HUB_API } from '../../common/contracts/route.js';

// Which hearing a request is about, when its media lives on one node: WHIP/WHEP (the hearing in the path),
// a hearing's stats (its legs' counters), the signaling socket (an officer's `?hearing=`, a room's active
// hearing found by its credential). Anything else is answered by whichever node got it (state is shared).

export interface RouteLookups {
  /** The room a credential belongs to (the registry's roomByToken). */
  roomByToken(token: string): string | undefined;
  /** The active hearing a room is in. */
  activeHearingOf(room: string): string | undefined;
}

const MEDIA_PATH = /^\/(?:whip|whep)\/hearings\/([^/?#]+)/;
const STATS_PATH = new RegExp(`^${HUB_API}/hearings/([^/?#]+)/stats(?:[?#]|$)`);
const SIGNAL_PATH = new RegExp(`^${HUB_API}/signal(?:[?#]|$)`);

/** The hearing id the request must be handled where it is held, or undefined (any node answers). */
export function hearingOfRequest(req: Pick<IncomingMessage, 'url' | 'headers'>, look: RouteLookups): string | undefined {
  const url = req.url ?? '/';
  const media = MEDIA_PATH.exec(url) ?? STATS_PATH.exec(url);
  if (media) return decodeURIComponent(media[1]!);
  if (!SIGNAL_PATH.test(url)) return undefined;
  const officerHearing = new URL(url, 'http://x').searchParams.get('hearing');
  if (officerHearing) return officerHearing;
  const token = tokenFrom(req.headers);
  const room = token ? look.roomByToken(token) : undefined;
  return room ? look.activeHearingOf(room) : undefined;
}
