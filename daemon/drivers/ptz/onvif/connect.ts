import { DeviceRejectedError, DeviceUnavailableError } from '../../../../common/errors.js';
import type { Logger } from '../../../../common/log.js';
import type { XmlNode } from '../../../../common/protocols/onvif/index.js';
import {
  choosePtzProfile,
  type DeviceInformation,
  parseCapabilities,
  parseDeviceInformation,
  parseProfiles,
  type ProfileReading,
  rewriteXAddr,
} from '../../../../common/protocols/onvif/soap-device.js';
import { deviceRequests, mediaRequests } from '../../../../common/protocols/onvif/soap-requests.js';
import { SoapFaultError } from './onvif-faults.js';
import { type CameraSpaces, configurationOf, readPtzSpaces } from './ptz-spaces.js';
import type { OnvifSoapClient } from './soap-client.js';

// One connect attempt, request by request: clock, services, identity, profiles, PTZ spaces — 5 to 8
// requests whatever the number of profiles (node-onvif made 4 + 4 × profiles). Each request has its own
// deadline; the attempt has none, and `signal` (the driver's stop) aborts the request in flight.

export interface OnvifSession {
  urls: { device: string; media: string; ptz: string };
  profile: ProfileReading;
  info: DeviceInformation;
  spaces: CameraSpaces;
  /** Host the camera named in its XAddrs when it was not the configured one (NAT), for stream URIs. */
  natHost?: string;
}

export interface ConnectDeps {
  id: string;
  xaddr: string;
  profileToken?: string;
  timeoutMs: number;
  client: OnvifSoapClient;
  log: Logger;
}

/** One request with its own deadline; a timeout names the operation. */
export async function request(
  d: Pick<ConnectDeps, 'id' | 'client' | 'timeoutMs'>,
  op: string,
  url: string,
  body: string,
  signal: AbortSignal,
): Promise<XmlNode> {
  try {
    return await d.client.call(url, body, AbortSignal.any([signal, AbortSignal.timeout(d.timeoutMs)]));
  } catch (e) {
    if ((e as Error).name === 'TimeoutError') throw new DeviceUnavailableError(d.id, `${op} timed out after ${d.timeoutMs} ms`);
    throw e;
  }
}

export async function connectCamera(d: ConnectDeps, signal: AbortSignal): Promise<OnvifSession> {
  const ask = (op: string, url: string, body: string) => request(d, op, url, body, signal);
  try {
    await d.client.syncClock(AbortSignal.any([signal, AbortSignal.timeout(d.timeoutMs)]));
  } catch (e) {
    // A camera without GetSystemDateAndTime (agsh/onvif#65) still works if its clock is right.
    if (!(e instanceof SoapFaultError)) throw e;
    d.log.warn({ err: e.message }, 'camera clock unreadable, signing on ours');
  }
  const caps = parseCapabilities(await ask('GetCapabilities', d.xaddr, deviceRequests.getCapabilities()));
  if (!caps.ptz) throw new DeviceRejectedError(d.id, 'camera has no PTZ service (GetCapabilities lists none)');
  const urls = { device: d.xaddr, media: rewriteXAddr(caps.media ?? d.xaddr, d.xaddr), ptz: rewriteXAddr(caps.ptz, d.xaddr) };
  const reported = new URL(caps.ptz, d.xaddr);
  const natHost = reported.host !== new URL(d.xaddr).host ? reported.hostname : undefined;
  if (natHost) d.log.info({ reported: caps.ptz, used: urls.ptz }, 'camera reports another address (NAT): service addresses rewritten');
  const info = parseDeviceInformation(await ask('GetDeviceInformation', d.xaddr, deviceRequests.getDeviceInformation()));
  const profiles = parseProfiles(await ask('GetProfiles', urls.media, mediaRequests.getProfiles()));
  const profile = pickProfile(d, profiles);
  const configuration = configurationOf(profile.ptz);
  const spaces = await readPtzSpaces((op, body) => ask(op, urls.ptz, body), {
    configurationToken: profile.ptzConfigurationToken!,
    ...(configuration ? { configuration } : {}),
  });
  if (spaces.notes.length) d.log.info({ notes: spaces.notes }, 'PTZ spaces: what was not used');
  return { urls, profile, info, spaces, ...(natHost ? { natHost } : {}) };
}

function pickProfile(d: ConnectDeps, profiles: ProfileReading[]): ProfileReading {
  const list = profiles.map((p) => `${p.token}${p.ptz ? ' (PTZ)' : ''}`).join(', ') || 'none';
  const p = choosePtzProfile(profiles, d.profileToken);
  if (d.profileToken !== undefined && !p) throw new DeviceRejectedError(d.id, `no media profile ${d.profileToken} (camera has: ${list})`);
  if (!p) throw new DeviceRejectedError(d.id, `no media profile with a PTZ configuration (camera has: ${list})`);
  if (!p.ptzConfigurationToken)
    throw new DeviceRejectedError(d.id, `media profile ${p.token} has no PTZ configuration (camera has: ${list})`);
  return p;
}

/** A stream URI naming the camera's LAN address (NAT) is put on the configured host; its port is kept. */
export function streamUriFor(uri: string, s: OnvifSession, xaddr: string): string {
  if (!s.natHost) return uri;
  try {
    const u = new URL(uri);
    if (u.hostname !== s.natHost) return uri;
    u.hostname = new URL(xaddr).hostname;
    return u.toString();
  } catch {
    return uri;
  }
}
