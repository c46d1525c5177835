import { errorMessage } from '../../../common/errors.js';
import type { Logger } from '../../../common/log.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Target } from './follow-decider.js';

/** Who the audit log and the `ptz` events name for automatic moves. */
export const ACTOR = 'audio-follow';

/** One automatic move (or its failure, naming camera and preset) in the room's audit log, as a control action. */
export function auditMove(
  audit: Pick<AuditLog, 'record'>,
  logger: Logger,
  move: { camera: string; target: Target; at: string; status: number; error?: string },
): Promise<void> {
  return audit
    .record({
      at: move.at,
      actor: ACTOR,
      role: 'system',
      ip: '-',
      action: 'camera.preset.auto',
      target: { camera: move.camera, token: move.target.preset },
      request: { cause: move.target.cause, channels: move.target.channels },
      status: move.status,
      result: move.error ? 'failed' : 'ok',
      error: move.error,
    })
    .catch((err) => logger.error({ err: errorMessage(err) }, 'audit write failed'));
}
