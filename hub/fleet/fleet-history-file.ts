import { Type } from '@sinclair/typebox';
import { openLowdbDocument } from '../../common/storage/lowdb-document.js';
import { writePrivateFile } from '../../common/storage/private-file.js';
import type { Logger } from '../../common/log.js';
import { STORED_POINT_LENGTH } from './fleet-history-point.js';
import type { HistoryDocument } from './fleet-history.js';

// The rooms' history on disk (`<stateDir>/fleet-history.json`): read and checked through lowdb (a file
// that does not match is moved aside, the hub comes up with no history), written whole as compact JSON
// (~73 bytes a minute, ~105 KB per room for 24 h, measured; lowdb's indented form would be 15 lines a point) through
// writePrivateFile: a fresh 0600 temp file, fsync, rename — a kill leaves the old file or the new one.

const Point = Type.Array(Type.Union([Type.Number(), Type.Null()]), { minItems: STORED_POINT_LENGTH, maxItems: STORED_POINT_LENGTH });
const HistoryFile = Type.Object({
  version: Type.Literal(1),
  bucketMs: Type.Integer({ minimum: 1000 }),
  rooms: Type.Record(
    Type.String({ maxLength: 64 }),
    Type.Object({ reportSeconds: Type.Integer({ minimum: 1 }), points: Type.Array(Point, { maxItems: 100_000 }) }),
  ),
});

export async function openHistoryFile(file: string, logger: Logger) {
  const { db } = await openLowdbDocument(
    file,
    HistoryFile,
    () => ({ version: 1 as const, bucketMs: 60_000, rooms: {} }),
    logger,
    'FLEET HISTORY FILE IS CORRUPT: moved aside, the rooms’ charts start empty',
    { mode: 0o600 },
  );
  const initial = db.data as HistoryDocument;
  logger.info({ file, rooms: Object.keys(initial.rooms).length }, 'fleet history loaded');
  return {
    initial,
    save: (doc: HistoryDocument) => writePrivateFile(file, JSON.stringify(doc)),
  };
}
