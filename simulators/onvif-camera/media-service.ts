// Media service (ver10/media/wsdl): the profiles (by default one H.264 profile with the PTZ configuration;
// a multi-stream camera lists a non-PTZ profile first), stream and snapshot URIs.
import { PROFILE_TOKEN } from './ptz-args.js';
import { configurationXml } from './ptz-xml.js';
import type { ServiceContext, SimProfile } from './device-service.js';
import { child, invalidArg, SoapFault, text, xmlEscape, type XmlNode } from '../../common/protocols/onvif/index.js';

type Op = (ctx: ServiceContext, body: XmlNode) => string;

export const VIDEO = { width: 1280, height: 720, fps: 25, bitrateKbps: 2048 } as const;

export const SINGLE_PROFILE: SimProfile[] = [{ token: PROFILE_TOKEN, name: 'mainStream', ptz: true, ...VIDEO, encoding: 'H264' }];

/**
 * Three profiles, the first without PTZ: multi-stream cameras list profiles per stream and not every
 * one carries a PTZConfiguration (Frigate issue #17919: an Illustra camera's per-stream PTZ
 * configurations, "the first stream's PTZ" only; ONVIF Media §5.2: a profile's PTZConfiguration is optional).
 */
export const MULTI_PROFILES: SimProfile[] = [
  { token: 'Profile_MJPEG', name: 'jpegStream', ptz: false, width: 640, height: 360, encoding: 'JPEG' },
  SINGLE_PROFILE[0]!,
  { token: 'Profile_2', name: 'subStream', ptz: false, width: 640, height: 360, encoding: 'H264' },
];

export function profileXml(tag: string, p: SimProfile = SINGLE_PROFILE[0]!): string {
  const n = p.token === PROFILE_TOKEN ? '1' : xmlEscape(p.token);
  const codec = p.encoding === 'H264' ? `<tt:H264><tt:GovLength>50</tt:GovLength><tt:H264Profile>Main</tt:H264Profile></tt:H264>` : '';
  return (
    `<${tag} token="${xmlEscape(p.token)}" fixed="true"><tt:Name>${xmlEscape(p.name)}</tt:Name>` +
    `<tt:VideoSourceConfiguration token="VideoSourceConfig_1"><tt:Name>VideoSourceConfig</tt:Name><tt:UseCount>1</tt:UseCount>` +
    `<tt:SourceToken>VideoSource_1</tt:SourceToken><tt:Bounds x="0" y="0" width="${VIDEO.width}" height="${VIDEO.height}"/></tt:VideoSourceConfiguration>` +
    `<tt:VideoEncoderConfiguration token="VideoEncoder_${n}"><tt:Name>VideoEncoder_${n}</tt:Name><tt:UseCount>1</tt:UseCount><tt:Encoding>${p.encoding}</tt:Encoding>` +
    `<tt:Resolution><tt:Width>${p.width}</tt:Width><tt:Height>${p.height}</tt:Height></tt:Resolution><tt:Quality>5</tt:Quality>` +
    `<tt:RateControl><tt:FrameRateLimit>${VIDEO.fps}</tt:FrameRateLimit><tt:EncodingInterval>1</tt:EncodingInterval><tt:BitrateLimit>${VIDEO.bitrateKbps}</tt:BitrateLimit></tt:RateControl>` +
    codec +
    `<tt:Multicast><tt:Address><tt:Type>IPv4</tt:Type><tt:IPv4Address>0.0.0.0</tt:IPv4Address></tt:Address><tt:Port>0</tt:Port><tt:TTL>1</tt:TTL><tt:AutoStart>false</tt:AutoStart></tt:Multicast>` +
    `<tt:SessionTimeout>PT60S</tt:SessionTimeout></tt:VideoEncoderConfiguration>` +
    (p.ptz ? configurationXml('tt:PTZConfiguration') : '') +
    `</${tag}>`
  );
}

const profilesOf = (ctx: ServiceContext) => ctx.profiles ?? SINGLE_PROFILE;

function checkProfile(ctx: ServiceContext, body: XmlNode): SimProfile {
  const token = text(child(body, 'ProfileToken'));
  const p = profilesOf(ctx).find((x) => x.token === token);
  if (!p) throw invalidArg('NoProfile', `No such profile: ${token || '(missing)'}`);
  return p;
}

const mediaUri = (tag: string, uri: string) =>
  `<trt:${tag}><trt:MediaUri><tt:Uri>${xmlEscape(uri)}</tt:Uri><tt:InvalidAfterConnect>false</tt:InvalidAfterConnect>` +
  `<tt:InvalidAfterReboot>false</tt:InvalidAfterReboot><tt:Timeout>PT0S</tt:Timeout></trt:MediaUri></trt:${tag}>`;

export const mediaOps: Record<string, Op> = {
  GetProfiles: (ctx) =>
    `<trt:GetProfilesResponse>${profilesOf(ctx)
      .map((p) => profileXml('trt:Profiles', p))
      .join('')}</trt:GetProfilesResponse>`,
  GetProfile: (ctx, body) => `<trt:GetProfileResponse>${profileXml('trt:Profile', checkProfile(ctx, body))}</trt:GetProfileResponse>`,
  // Every transport (UDP, HTTP, RTSP) is served by the same RTSP URL, as most cameras do.
  GetStreamUri: (ctx, body) => {
    checkProfile(ctx, body);
    return mediaUri('GetStreamUriResponse', ctx.streamUri());
  },
  // ONVIF media.wsdl (ver10) SetSynchronizationPoint: "enforces the device to add an I-Frame as soon as possible
  // … If a video stream is associated with the profile, an I-frame shall be added to this video stream". A camera
  // without it answers as for any unknown operation (ActionNotSupported: soap-dispatch.ts).
  SetSynchronizationPoint: (ctx, body) => {
    const p = checkProfile(ctx, body);
    if (!ctx.syncPoint) throw new SoapFault('Receiver', ['ActionNotSupported'], 'Action not supported: SetSynchronizationPoint');
    ctx.syncPoint(p);
    return '<trt:SetSynchronizationPointResponse/>';
  },
  GetSnapshotUri: (ctx, body) => {
    checkProfile(ctx, body);
    const uri = ctx.snapshotUri();
    if (!uri) throw new SoapFault('Receiver', ['ActionNotSupported'], 'No snapshot source');
    return mediaUri('GetSnapshotUriResponse', uri);
  },
};
