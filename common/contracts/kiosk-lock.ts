import { Type, type Static } from '@sinclair/typebox';

// The kiosk PIN lockout (daemon/modules/kiosk), as the room's health shows it and its fleet report
// carries it to the hub: someone guessing the officers' PIN at the touch screen is visible centrally.
// Pure TypeBox, no app imports.

export const KioskLock = Type.Object({
  locked: Type.Boolean({ description: 'unlocking is refused until lockedUntil' }),
  lockedUntil: Type.Union([Type.String({ maxLength: 40 }), Type.Null()], {
    description: 'end of the current lockout (ISO); null: not locked',
  }),
  lockouts: Type.Integer({
    minimum: 0,
    description: 'lockouts in the current streak of wrong PINs (each one twice as long as the last); 0 after a right PIN',
  }),
  failures: Type.Integer({ minimum: 0, description: 'wrong PINs since the last lockout or right PIN' }),
});
export type KioskLock = Static<typeof KioskLock>;
