import { Type, type Static } from '@sinclair/typebox';
import { Str } from './room-config.js';

// `remoteOps`: operations a technician asks at the hub's console, taken from the fleet report's answer
// (daemon/modules/remote-ops): a config push tried and rolled back when the room is not healthy, a
// diagnostics bundle, a restart of the room's services.

export const RemoteOpsConfig = Type.Object(
  {
    enabled: Type.Boolean({ default: true, description: "take remote operations from the hub's answers (needs fleet.enabled)" }),
    trialSeconds: Type.Integer({
      minimum: 5,
      maximum: 900,
      default: 60,
      description:
        'a pushed config must bring the room to healthy (status ok, media online, gateway connected) within this long after the restart, else the previous config is restored',
    }),
    supervisor: Type.Union([Type.Literal('auto'), Type.Literal('systemd'), Type.Literal('pm2'), Type.Literal('exit')], {
      default: 'auto',
      description:
        'how the room restarts its services: systemd (systemctl restart of the units), pm2 (pm2 restart of the gateway, the daemon exits and is started again), exit (the daemon exits, its supervisor starts it again); auto: systemd under systemd (INVOCATION_ID), pm2 under pm2 (pm_id), else exit',
    }),
    systemdUnits: Type.Array(Type.String({ pattern: '^[a-zA-Z0-9@._-]+\\.service$', description: 'a systemd unit name' }), {
      default: ['reception-gateway.service', 'reception-daemon.service'],
      description: "the room's units restarted by a restart (the daemon's last); systemctl needs a polkit rule for the reception user",
    }),
    pm2Gateway: Str('reception-gateway', "the gateway's pm2 app name (ecosystem.config.cjs)", { pattern: '^[A-Za-z0-9._-]+$' }),
  },
  {
    additionalProperties: false,
    default: {},
    description: 'remote operations from the hub (config push with rollback, diagnostics, restart)',
  },
);
export type RemoteOpsConfig = Static<typeof RemoteOpsConfig>;
