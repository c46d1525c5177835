import type pg from 'pg';
import type { Hearing } from './hearing-store.js';

// Reading hearings back from PostgreSQL (001_hearings.sql) as the hub's Hearing objects.

type Db = Pick<pg.ClientBase, 'query'>;

interface HearingRow {
  id: string;
  title: string;
  rooms: string[];
  state: Hearing['state'];
  created_at: Date;
  ended_at: Date | null;
  version: string;
}
interface StintRow {
  hearing_id: string;
  room: string;
  joined_at: Date;
  left_at: Date | null;
}

export interface VersionedHearing {
  hearing: Hearing;
  version: number;
}

const HEARING_COLUMNS = 'id, title, rooms, state, created_at, ended_at, version';
const STINT_COLUMNS = 'hearing_id, room, joined_at, left_at';

function build(rows: HearingRow[], stints: StintRow[]): VersionedHearing[] {
  const byHearing = new Map<string, Hearing['history']>();
  for (const s of stints) {
    const list = byHearing.get(s.hearing_id) ?? [];
    list.push({ room: s.room, joinedAt: s.joined_at.toISOString(), ...(s.left_at ? { leftAt: s.left_at.toISOString() } : {}) });
    byHearing.set(s.hearing_id, list);
  }
  return rows.map((r) => ({
    version: Number(r.version),
    hearing: {
      id: r.id,
      title: r.title,
      rooms: r.rooms,
      history: byHearing.get(r.id) ?? [],
      state: r.state,
      createdAt: r.created_at.toISOString(),
      ...(r.ended_at ? { endedAt: r.ended_at.toISOString() } : {}),
    },
  }));
}

/** One hearing with its stints, or undefined. */
export async function selectHearing(db: Db, id: string): Promise<VersionedHearing | undefined> {
  const h = await db.query<HearingRow>(`SELECT ${HEARING_COLUMNS} FROM hearings WHERE id = $1`, [id]);
  if (h.rowCount === 0) return undefined;
  const s = await db.query<StintRow>(`SELECT ${STINT_COLUMNS} FROM hearing_stints WHERE hearing_id = $1 ORDER BY ord`, [id]);
  return build(h.rows, s.rows)[0];
}

/** Every hearing in creation order (a node's view at start and after a lost listener). */
export async function selectAllHearings(db: Db): Promise<VersionedHearing[]> {
  const h = await db.query<HearingRow>(`SELECT ${HEARING_COLUMNS} FROM hearings ORDER BY ord`);
  const s = await db.query<StintRow>(`SELECT ${STINT_COLUMNS} FROM hearing_stints ORDER BY ord`);
  return build(h.rows, s.rows);
}

/** The active hearing holding `room`, for the 409's reason. */
export async function holderOf(db: Db, room: string): Promise<{ id: string; title: string } | undefined> {
  const r = await db.query<{ id: string; title: string }>(
    'SELECT h.id, h.title FROM hearing_stints s JOIN hearings h ON h.id = s.hearing_id WHERE s.room = $1 AND s.left_at IS NULL',
    [room],
  );
  return r.rows[0];
}
