import { Type, type Static } from '@sinclair/typebox';

// Commissioning a room (issue 13): the box's `reception provision` sends its report to the hub; the hub lists
// every room's commissioning state for the console's fleet page. The daemon's self-test result is here too:
// the provisioning CLI (and the hub's remote self-test) read it. Pure TypeBox, no app imports.

/** Room → hub, the room's enrolled token as Bearer (like the fleet report). */
export const COMMISSIONING_ROUTE = '/fleet/rooms/:room/commissioning';
/** Room → hub: "this local hearing is my self-test" (its recording may then be archived). */
export const SELF_TEST_HEARING_ROUTE = '/fleet/rooms/:room/commissioning/self-test';
/** Room → hub: bytes thrown away, to measure the room's upload bandwidth. */
export const BANDWIDTH_ROUTE = '/fleet/rooms/:room/commissioning/bandwidth';
/** Public: the hub's wall clock, to measure the room's offset NTP-style (t0, hub, t1). */
export const HUB_CLOCK_ROUTE = '/commissioning/clock';
/** The report upload's ceiling (HTML with its preset snapshots embedded). */
export const COMMISSIONING_MAX_BYTES = 6 * 1024 * 1024;
export const BANDWIDTH_MAX_BYTES = 8 * 1024 * 1024;

export const COMMISSIONING_STATES = ['commissioned', 'failed', 'in-progress'] as const;
export type CommissioningState = (typeof COMMISSIONING_STATES)[number];
export const CHECK_RESULTS = ['pass', 'fail', 'skipped'] as const;

export const CommissioningCheck = Type.Object(
  {
    step: Type.String({ minLength: 1, maxLength: 40, description: 'box, cameras, dsp, hub, kiosk, install, self-test' }),
    name: Type.String({ minLength: 1, maxLength: 200, description: 'what was checked (Vietnamese / English)' }),
    result: Type.Union(
      CHECK_RESULTS.map((r) => Type.Literal(r)),
      { description: 'pass, fail, or skipped (by the technician)' },
    ),
    figure: Type.String({ maxLength: 500, description: 'what was measured, e.g. "1280×720 h264 constrained-baseline"' }),
  },
  { additionalProperties: false },
);
export type CommissioningCheck = Static<typeof CommissioningCheck>;

export const CommissioningUpload = Type.Object(
  {
    state: Type.Union(COMMISSIONING_STATES.map((s) => Type.Literal(s))),
    at: Type.String({
      pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$',
      maxLength: 40,
      description: "when the room's flow ended (room clock, ISO UTC)",
    }),
    checks: Type.Array(CommissioningCheck, { maxItems: 400 }),
    html: Type.String({ minLength: 1, maxLength: COMMISSIONING_MAX_BYTES, description: 'the printable report (self-contained HTML)' }),
  },
  { additionalProperties: false },
);
export type CommissioningUpload = Static<typeof CommissioningUpload>;

/** `GET /api/v1/fleet/commissioning`: one line per room that sent a report (the console's fleet page reads this shape). */
export const CommissioningListItem = Type.Object(
  {
    room: Type.String(),
    state: Type.Union(COMMISSIONING_STATES.map((s) => Type.Literal(s))),
    at: Type.String(),
    checksPassed: Type.Integer({ minimum: 0 }),
    checksFailed: Type.Integer({ minimum: 0 }),
    reportUrl: Type.String({ description: '/api/v1/fleet/rooms/<room>/commissioning/report.html' }),
  },
  { additionalProperties: false },
);
export type CommissioningListItem = Static<typeof CommissioningListItem>;

export const SelfTestHearing = Type.Object(
  { hearing: Type.String({ pattern: '^local-[0-9TZ-]{10,40}$', description: "the room's local self-test hearing id" }) },
  { additionalProperties: false },
);
export type SelfTestHearing = Static<typeof SelfTestHearing>;

export const BandwidthAnswer = Type.Object({ bytes: Type.Integer({ minimum: 0 }), ms: Type.Number({ minimum: 0 }) });
export const HubClock = Type.Object({ now: Type.Number({ description: "the hub's wall clock, epoch ms" }) });

/** The daemon's self-test (`POST /api/v1/self-test`, daemon/modules/self-test). */
export const SelfTestResult = Type.Object(
  {
    ok: Type.Boolean(),
    hearing: Type.String(),
    seconds: Type.Number({ description: 'how long it recorded' }),
    segments: Type.Integer({ minimum: 0 }),
    bytes: Type.Integer({ minimum: 0 }),
    verifyOk: Type.Boolean({ description: 'manifest chain, signatures and segment hashes (common/evidence)' }),
    verifyProblem: Type.Union([Type.String(), Type.Null()]),
    upload: Type.Union([Type.Literal('receipted'), Type.Literal('not-enrolled'), Type.Literal('timed-out')]),
    uploadSeconds: Type.Union([Type.Number(), Type.Null()], { description: 'end of the hearing → every segment receipted' }),
    receipts: Type.Integer({ minimum: 0 }),
    problems: Type.Array(Type.String(), { description: 'why ok is false (Vietnamese / English)' }),
  },
  { additionalProperties: false },
);
export type SelfTestResult = Static<typeof SelfTestResult>;
export const SelfTestRequest = Type.Object(
  {
    seconds: Type.Optional(Type.Integer({ minimum: 3, maximum: 600, default: 30, description: 'length of the test hearing' })),
    uploadWaitSeconds: Type.Optional(Type.Integer({ minimum: 5, maximum: 3600, default: 300, description: 'longest wait for receipts' })),
  },
  { additionalProperties: false },
);
export type SelfTestRequest = Static<typeof SelfTestRequest>;
