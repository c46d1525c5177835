import { Type, type Static } from '@sinclair/typebox';
import { HUB_API, fillRoute } from './route.js';

// Remote operations on a room (issue 13), hub ⇄ room over the fleet report: the hub hands a room its
// pending operations in the report's answer (`ops`), the room sends their results with a later report
// (`opResults`), as the reception book's entries and acks go. The room never needs an inbound connection.
// Pure TypeBox, no app imports: hub/fleet-ops and daemon/modules/remote-ops both import it.

/** What a technician can ask of a room. */
export const FLEET_OP_KINDS = ['config', 'diagnostics', 'restart', 'selftest'] as const;
export type FleetOpKind = (typeof FLEET_OP_KINDS)[number];

/** pending (at the hub) → handed-over (in a report's answer) → applied | rolled-back | failed (the room's result). */
export const FLEET_OP_STATES = ['pending', 'handed-over', 'applied', 'rolled-back', 'failed'] as const;
export type FleetOpState = (typeof FLEET_OP_STATES)[number];
/** The states a room reports; the others are the hub's own. */
export const OP_RESULT_STATES = ['applied', 'rolled-back', 'failed'] as const;

export const OpId = Type.String({ pattern: '^op-[0-9a-z-]{8,64}$', description: 'operation id, made by the hub' });

/** `merge`: a JSON merge patch (RFC 7396) on the room's current config; `replace`: the whole config. */
export const CONFIG_MODES = ['merge', 'replace'] as const;

export const ConfigOp = Type.Object(
  {
    id: OpId,
    kind: Type.Literal('config'),
    mode: Type.Union(
      CONFIG_MODES.map((m) => Type.Literal(m)),
      { description: 'merge: a JSON merge patch on the current config (null deletes a key); replace: the whole config' },
    ),
    config: Type.Record(Type.String(), Type.Unknown(), { description: 'the room config (or the part of it) to apply' }),
  },
  { additionalProperties: false },
);
export const DiagnosticsOp = Type.Object(
  {
    id: OpId,
    kind: Type.Literal('diagnostics'),
    uploadPath: Type.String({ maxLength: 300, description: 'where the room PUTs its bundle, under the hub URL (its token as Bearer)' }),
  },
  { additionalProperties: false },
);
export const RestartOp = Type.Object({ id: OpId, kind: Type.Literal('restart') }, { additionalProperties: false });
/** The room's self-test (daemon/modules/self-test): a short local hearing recorded, verified and uploaded. */
export const SELFTEST_SECONDS = { minimum: 3, maximum: 600, default: 30 } as const;
export const SelftestOp = Type.Object(
  { id: OpId, kind: Type.Literal('selftest'), seconds: Type.Integer({ ...SELFTEST_SECONDS, description: 'length of the test hearing' }) },
  { additionalProperties: false },
);

/** One operation handed to a room (in ReportAnswer.ops). */
export const FleetOp = Type.Union([ConfigOp, DiagnosticsOp, RestartOp, SelftestOp]);
export type FleetOp = Static<typeof FleetOp>;
export type ConfigOp = Static<typeof ConfigOp>;

/** The room's result of an operation (in RoomReport.opResults), sent until the hub took it. */
export const OpResult = Type.Object(
  {
    id: OpId,
    state: Type.Union(OP_RESULT_STATES.map((s) => Type.Literal(s))),
    reason: Type.Optional(Type.String({ maxLength: 1000, description: 'why it was rolled back or failed; what was done otherwise' })),
    at: Type.String({ maxLength: 40, description: 'room clock when the result was reached (ISO)' }),
  },
  { additionalProperties: false },
);
export type OpResult = Static<typeof OpResult>;

/** Room → hub: PUT the diagnostics bundle (gzip'd tar), the room's token as Bearer. */
export const OP_BUNDLE_ROUTE = '/fleet/rooms/:room/ops/:id/bundle';
export const opBundlePath = (room: string, id: string) => `${HUB_API}${fillRoute(OP_BUNDLE_ROUTE, { room, id })}`;
/** Largest bundle the hub takes (recent logs are capped at the room well below this). */
export const OP_BUNDLE_MAX_BYTES = 16 * 1024 * 1024;
