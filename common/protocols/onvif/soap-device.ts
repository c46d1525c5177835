// Readers of the answers a client needs to connect (device and media services): the camera's clock,
// its service addresses, identity and media profiles; and the NAT rewrite of service addresses.
// Pure, every field optional (vendors omit things); the caller decides what is fatal.
import { at, attr, children, isNode, textOf, type XmlNode, type XmlValue } from './xml-tree.js';

const int = (v: XmlValue | undefined) => {
  const n = Number(textOf(v));
  return Number.isInteger(n) ? n : undefined;
};

function dateTimeMs(dt: XmlValue | undefined): number | undefined {
  const [y, mo, d] = ['Year', 'Month', 'Day'].map((k) => int(at(dt, 'Date', k)));
  const [h, mi, s] = ['Hour', 'Minute', 'Second'].map((k) => int(at(dt, 'Time', k)));
  if ([y, mo, d, h, mi, s].some((x) => x === undefined)) return undefined;
  return Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
}

/**
 * GetSystemDateAndTimeResponse → the camera's UTC clock (epoch ms), or undefined. Only UTCDateTime is
 * used: LocalDateTime is local wall time, and a camera that labels local time as UTC (OpenIPC
 * majestic-webui issue #292) is healed the same way as a skewed one: the offset absorbs it.
 */
export function parseSystemDateAndTime(body: XmlNode): number | undefined {
  return dateTimeMs(at(body, 'GetSystemDateAndTimeResponse', 'SystemDateAndTime', 'UTCDateTime'));
}

export interface ServiceAddrs {
  device?: string;
  media?: string;
  ptz?: string;
}

/** GetCapabilitiesResponse → service XAddrs (Profile S requires GetCapabilities; Axis lacks GetServices). */
export function parseCapabilities(body: XmlNode): ServiceAddrs {
  const caps = at(body, 'GetCapabilitiesResponse', 'Capabilities');
  const x = (name: string) => textOf(at(caps, name, 'XAddr')) || undefined;
  const out: ServiceAddrs = {};
  for (const [k, name] of [
    ['device', 'Device'],
    ['media', 'Media'],
    ['ptz', 'PTZ'],
  ] as const) {
    const v = x(name);
    if (v) out[k] = v;
  }
  return out;
}

export interface DeviceInformation {
  manufacturer: string;
  model: string;
  firmwareVersion: string;
  serialNumber: string;
}

export function parseDeviceInformation(body: XmlNode): DeviceInformation {
  const r = at(body, 'GetDeviceInformationResponse');
  const t = (k: string) => textOf(at(r, k)) ?? '';
  return { manufacturer: t('Manufacturer'), model: t('Model'), firmwareVersion: t('FirmwareVersion'), serialNumber: t('SerialNumber') };
}

export interface ProfileReading {
  token: string;
  name: string;
  /** The profile's PTZConfiguration element as the camera sent it, when it has one. */
  ptz?: XmlNode;
  ptzConfigurationToken?: string;
}

/** GetProfilesResponse → profiles in camera order; profiles without a token are skipped. */
export function parseProfiles(body: XmlNode): ProfileReading[] {
  const out: ProfileReading[] = [];
  for (const p of children(at(body, 'GetProfilesResponse'), 'Profiles')) {
    const token = attr(p, 'token');
    if (!token) continue;
    const ptz = at(p, 'PTZConfiguration');
    const cfg = isNode(ptz) ? ptz : undefined;
    const cfgToken = cfg ? attr(cfg, 'token') : undefined;
    out.push({
      token,
      name: textOf(at(p, 'Name')) ?? '',
      ...(cfg ? { ptz: cfg } : {}),
      ...(cfgToken ? { ptzConfigurationToken: cfgToken } : {}),
    });
  }
  return out;
}

/**
 * The profile to drive: `wanted` when given (undefined if the camera has no such profile), else the
 * first profile with a PTZConfiguration (multi-stream cameras often list a non-PTZ profile first).
 */
export function choosePtzProfile(profiles: ProfileReading[], wanted?: string): ProfileReading | undefined {
  if (wanted !== undefined) return profiles.find((p) => p.token === wanted);
  return profiles.find((p) => p.ptz !== undefined);
}

/**
 * A service address reported by the camera, put onto the configured device address when it names
 * another host:port (the camera is behind NAT or a port forward and reports its LAN address: Frigate
 * issue #18352, python-onvif-zeep PR #48). Path and query are kept; the configured scheme wins.
 */
export function rewriteXAddr(reported: string, configured: string): string {
  let r: URL;
  let c: URL;
  try {
    r = new URL(reported);
    c = new URL(configured);
  } catch {
    return configured; // unreadable: the configured device address is the one we know works
  }
  if (r.host === c.host && r.protocol === c.protocol) return reported;
  return `${c.protocol}//${c.host}${r.pathname}${r.search}`;
}
