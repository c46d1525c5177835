import { Type, type Static } from '@sinclair/typebox';
import { SELFTEST_SECONDS, FLEET_OP_KINDS, FLEET_OP_STATES, OpId } from '../../common/contracts/fleet-ops.js';

// The technicians' views of remote operations (the room ⇄ hub protocol is common/contracts/fleet-ops.ts).

const lits = <T extends readonly string[]>(xs: T, description: string) =>
  Type.Union(
    xs.map((x) => Type.Literal(x)),
    { description },
  );
const Mode = (description: string) => Type.Union([Type.Literal('merge'), Type.Literal('replace')], { description });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const OpRoomParams = Type.Object({ room: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,63}$' }) });
export const OpParams = Type.Object({ room: OpRoomParams.properties.room, id: OpId });

/** POST body: what the technician asks. `config` and `mode` only for kind "config". */
export const OpRequest = Type.Object(
  {
    kind: lits(FLEET_OP_KINDS, 'config | diagnostics | restart | selftest'),
    mode: Type.Optional(Mode('merge (default): a JSON merge patch on the room config; replace: the whole config')),
    config: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'kind "config": the room config or a part of it' })),
    seconds: Type.Optional(
      Type.Integer({
        minimum: SELFTEST_SECONDS.minimum,
        maximum: SELFTEST_SECONDS.maximum,
        description: 'kind "selftest": length of the test hearing (default 30)',
      }),
    ),
  },
  { additionalProperties: false },
);
export type OpRequest = Static<typeof OpRequest>;

export const OpView = Type.Object({
  id: OpId,
  room: Type.String(),
  kind: lits(FLEET_OP_KINDS, 'what was asked'),
  state: lits(FLEET_OP_STATES, 'pending → handed-over → applied | rolled-back | failed'),
  mode: Type.Optional(Mode('config: merge or replace')),
  config: Type.Optional(Type.Unknown({ description: 'config: what was pushed, every secret redacted' })),
  seconds: Type.Optional(Type.Integer({ description: 'selftest: length of the test hearing' })),
  by: Type.String({ description: 'who asked (account or token name)' }),
  createdAt: Type.String(),
  handedOverAt: Nullable(Type.String({ description: 'last time the room was handed it' })),
  doneAt: Nullable(Type.String({ description: 'room clock of its result' })),
  reason: Nullable(Type.String({ description: "the room's reason: why it rolled back or failed, or what it did" })),
  bundle: Type.Union([Type.Object({ bytes: Type.Integer(), sha256: Type.String(), at: Type.String() }), Type.Null()], {
    description: 'diagnostics: the uploaded bundle (GET …/bundle)',
  }),
});
export type OpView = Static<typeof OpView>;

/** What the hub keeps: the view plus the unredacted config it hands to the room. */
export const OpRecord = Type.Object({ ...OpView.properties, payload: Type.Optional(Type.Record(Type.String(), Type.Unknown())) });
export type OpRecord = Static<typeof OpRecord>;
