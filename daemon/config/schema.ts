// The room config schema lives in common/config/room-schema.ts (the hub validates pushed configs with it).
export * from '../../common/config/room-schema.js';
