// What this camera announces over WS-Discovery: its scopes and a stable endpoint reference. The
// protocol (Probe, ProbeMatches) is common/protocols/onvif (ws-discovery-device.ts).
import { createHash } from 'node:crypto';
import { scopeUri } from '../../common/protocols/onvif/index.js';

export function deviceScopes(o: { name: string; model: string; location: string }): string[] {
  return [
    'onvif://www.onvif.org/type/video_encoder',
    'onvif://www.onvif.org/type/ptz',
    'onvif://www.onvif.org/Profile/Streaming',
    scopeUri('name', o.name),
    scopeUri('hardware', o.model),
    scopeUri('location', o.location),
  ];
}

/** Stable urn:uuid from the serial number, so a camera keeps its endpoint across restarts. */
export function endpointUrn(serial: string): string {
  const h = createHash('sha1').update(`onvif-sim:${serial}`).digest('hex');
  return `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
