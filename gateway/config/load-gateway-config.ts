import { Type, type Static } from '@sinclair/typebox';
import { checkAgainst, ConfigError } from '../../common/config/config-error.js';
import { readConfigFile } from '../../common/config/config-file.js';
import { applyEnvOverrides } from '../../common/config/env-overrides.js';
import { ApiSection, GatewaySection, mediaRtpPorts, RoomSection, statePath, withoutRoomSecret } from '../../common/config/room-config.js';

// The gateway reads the room's config file (the daemon's: one file per room) but only its own slices,
// defined once in common/config/room-config.ts: room, api (where the daemon's keyframe route is),
// gateway, and the media RTP ports. The daemon's other sections are the daemon's business.

export const GatewayFileSchema = Type.Object(
  {
    room: RoomSection,
    api: ApiSection,
    gateway: GatewaySection,
    media: Type.Object(mediaRtpPorts, { default: {}, description: "the media worker's RTP ports (its other keys are the daemon's)" }),
    paths: Type.Object({ state: statePath }, { default: {}, description: "the room's state directory (its other keys are the daemon's)" }),
  },
  { description: "the gateway's slices of the room config file" },
);
export type GatewayFileConfig = Static<typeof GatewayFileSchema>;

/**
 * Loads FILE (or RECEPTION_CONFIG; neither: the embedded default room), applies the env overrides its
 * slices declare (RECEPTION_API_HOST, RECEPTION_API_PORT, RECEPTION_GATEWAY_PORT) and validates them once.
 * Throws ConfigError naming the bad field, as the daemon does.
 */
export async function loadGatewayConfig(file?: string, env: NodeJS.ProcessEnv = process.env): Promise<GatewayFileConfig> {
  const path = file ?? env.RECEPTION_CONFIG;
  const raw = path ? await readConfigFile(path, 'run `reception config init FILE` to write the defaults') : {};
  const retired = withoutRoomSecret(raw); // shared room secrets are gone: enrollment only
  if (retired.problem) throw new ConfigError(path ?? '<embedded>', [retired.problem]);
  const { value, problems } = checkAgainst(GatewayFileSchema, applyEnvOverrides(GatewayFileSchema, retired.raw, env));
  if (problems.length > 0) throw new ConfigError(path ?? '<embedded>', problems);
  return value as GatewayFileConfig;
}
