import { Type, type Static } from '@sinclair/typebox';

// The room's box as its host-health sampler sees it (daemon/modules/host-health, systeminformation on a
// worker thread): in GET /api/v1/health (`host`) and, as it is, in the fleet report to the hub. Bounded,
// since the hub stores what rooms send. Unknown is null, never 0: a box without temperature sensors
// reports `tempC: null`, an interface whose link speed the kernel does not know `speedMbps: null`.
// Pure TypeBox, no app imports.

const Text = (maxLength: number, description: string) => Type.String({ maxLength, description });
const OrNull = <T extends ReturnType<typeof Type.Number>>(t: T, description: string) => Type.Union([t, Type.Null()], { description });

export const HostDisk = Type.Object({
  mount: Text(200, 'mount point of the file system'),
  fs: Text(200, 'device or source (/dev/sda2)'),
  type: Text(32, 'ext4, xfs…'),
  sizeMb: Type.Integer({ minimum: 0 }),
  freeMb: Type.Integer({ minimum: 0, description: 'available to the daemon (not counting root-reserved blocks)' }),
  holds: Type.Array(Text(32, 'recordings | state'), { maxItems: 4, description: "which of the room's paths live on it" }),
});
export type HostDisk = Static<typeof HostDisk>;

export const HostInterface = Type.Object({
  iface: Text(64, 'interface name (eth0, wlan0…)'),
  up: Type.Boolean({ description: 'operstate up' }),
  state: Text(32, "the kernel's operstate: up | down | dormant | unknown…"),
  type: Text(32, 'wired | wireless | virtual…'),
  default: Type.Boolean({ description: 'carries the default route (the way to the hub)' }),
  speedMbps: OrNull(Type.Number({ minimum: 0 }), 'negotiated link speed; null: unknown (virtual NIC, no carrier, Wi-Fi)'),
  rxKbps: OrNull(Type.Number({ minimum: 0 }), 'received over the last sampling interval; null: first sample'),
  txKbps: OrNull(Type.Number({ minimum: 0 }), 'sent over the last sampling interval; null: first sample'),
});
export type HostInterface = Static<typeof HostInterface>;

export const HostSample = Type.Object({
  sampledAt: Text(40, 'when this sample was taken (room clock, ISO)'),
  cpuPercent: Type.Number({ minimum: 0, maximum: 100, description: 'CPU busy over the last sampling interval, all cores' }),
  load1: Type.Number({ minimum: 0, description: '1-minute load average' }),
  cores: Type.Integer({ minimum: 1 }),
  memTotalMb: Type.Integer({ minimum: 0 }),
  memAvailableMb: Type.Integer({ minimum: 0, description: 'what programs can still get (MemAvailable), not the bare free pages' }),
  tempC: OrNull(Type.Number(), 'CPU package temperature (°C); null: the box has no sensor the kernel exposes'),
  tempMaxC: OrNull(Type.Number(), 'hottest sensor (°C); null: none'),
  disks: Type.Array(HostDisk, { maxItems: 4, description: 'the file systems holding paths.recordings and paths.state' }),
  net: Type.Array(HostInterface, {
    maxItems: 8,
    description: 'physical and wireless interfaces (loopback and container bridges left out)',
  }),
});
export type HostSample = Static<typeof HostSample>;
