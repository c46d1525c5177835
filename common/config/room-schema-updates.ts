import { type Static, Type } from '@sinclair/typebox';
import { Str } from './room-config.js';

// `updates`: signed software updates offered by the hub (daemon/modules/updater, provisioning/update).
// How the services are restarted comes from `remoteOps` (supervisor, systemdUnits, pm2Gateway).

export const UpdatesConfig = Type.Object(
  {
    enabled: Type.Boolean({ default: true, description: 'take the versions the hub offers (needs fleet.enabled and a release key)' }),
    releaseKeyFile: Str('', 'the release public key this box trusts ("" = <paths.state>/keys/release-public.pem, set at commissioning)'),
    installRoot: Str(
      '',
      'the installed layout (<root>/releases, <root>/modules, <root>/current); "" = found from where the daemon runs (…/releases/<version>/)',
    ),
    windowSeconds: Type.Integer({
      minimum: 10,
      maximum: 900,
      default: 60,
      description:
        'a new version must be healthy (and stay so for stableSeconds) within this long after the restart, else the previous one is put back',
    }),
    stableSeconds: Type.Integer({
      minimum: 1,
      maximum: 300,
      default: 10,
      description: 'how long the new version must stay healthy without a break',
    }),
  },
  {
    additionalProperties: false,
    default: {},
    description: 'signed software updates from the hub, installed outside hearings with rollback',
  },
);
export type UpdatesConfig = Static<typeof UpdatesConfig>;
