// The daemon's answers the page reads: types only, from the one definition the daemon's routes answer
// with (common/contracts/daemon-api/). `import type` is erased by the build: no daemon code in the page.

export type { HealthReply } from '../../common/contracts/daemon-api/health.js';
export type {
  CameraSummary as Camera,
  Channel,
  CurrentHearing,
  GatewayReply,
  Hearing,
  KioskBridgeTicket,
  KioskInfo,
  KioskUnlocked,
  Preset,
} from '../../common/contracts/daemon-api/room.js';
export type { ParticipantInfo as Participant } from '../../common/contracts/signaling/messages.js';
