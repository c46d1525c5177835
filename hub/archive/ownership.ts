// Who may write an archived hearing. A room records one evidence directory per hub hearing it takes part
// in, named `<hearing>.<room>` (`-r<n>` appended when the room reopened a closed one; see
// daemon/modules/recorder): so the archive id says whose it is. A room may write only its own, and only
// of a hub hearing it took part in (the hearing store's history). Hub hearing ids hold no '.'.

/** What the archive needs to know of the hub's hearings. */
export interface HearingParticipation {
  /** Whether `room` ever took part in hub hearing `id` (running or ended). */
  tookPart(id: string, room: string): boolean;
}

export type Ownership = { ok: true; hearing: string } | { ok: false; message: string };

/** `<hearing>.<room>` or `<hearing>.<room>-r<n>` → its parts, when it has that shape. */
export function splitArchiveId(id: string): { hearing: string; rest: string } | undefined {
  const dot = id.indexOf('.');
  if (dot <= 0 || dot === id.length - 1) return undefined;
  return { hearing: id.slice(0, dot), rest: id.slice(dot + 1) };
}

/** Whether `room` may write archive hearing `id`; the refusal names why (a 403 message). */
export function mayWrite(id: string, room: string, hearings: HearingParticipation): Ownership {
  const parts = splitArchiveId(id);
  if (!parts)
    return {
      ok: false,
      message: `"${id}" is not "<hearing>.<room>": a room uploads only the recording of a hub hearing it took part in`,
    };
  const own = parts.rest === room || (parts.rest.startsWith(`${room}-r`) && /^[2-9]\d*$|^1\d+$/.test(parts.rest.slice(room.length + 2)));
  // `H.a-r2` from room "a" is its reopened recording, unless "a-r2" is itself a room of that hearing.
  if (own && parts.rest !== room && hearings.tookPart(parts.hearing, parts.rest))
    return { ok: false, message: `"${id}" is room "${parts.rest}"'s recording, not room "${room}"'s` };
  if (!own) return { ok: false, message: `"${id}" is another room's recording; room "${room}" may write only "${parts.hearing}.${room}"` };
  if (!hearings.tookPart(parts.hearing, room))
    return { ok: false, message: `room "${room}" did not take part in hub hearing "${parts.hearing}"` };
  return { ok: true, hearing: parts.hearing };
}
