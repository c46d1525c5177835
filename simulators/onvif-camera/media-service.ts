// Media service (ver10/media/wsdl): one H.264 profile with the PTZ configuration, stream and snapshot URIs.
import { PROFILE_TOKEN } from './ptz-args.js';
import { configurationXml } from './ptz-xml.js';
import type { ServiceContext } from './device-service.js';
import { child, invalidArg, SoapFault, text, xmlEscape, type XmlNode } from '../../common/protocols/onvif/index.js';

type Op = (ctx: ServiceContext, body: XmlNode) => string;

export const VIDEO = { width: 1280, height: 720, fps: 25, bitrateKbps: 2048 } as const;

export function profileXml(tag: string): string {
  return (
    `<${tag} token="${PROFILE_TOKEN}" fixed="true"><tt:Name>mainStream</tt:Name>` +
    `<tt:VideoSourceConfiguration token="VideoSourceConfig_1"><tt:Name>VideoSourceConfig</tt:Name><tt:UseCount>1</tt:UseCount>` +
    `<tt:SourceToken>VideoSource_1</tt:SourceToken><tt:Bounds x="0" y="0" width="${VIDEO.width}" height="${VIDEO.height}"/></tt:VideoSourceConfiguration>` +
    `<tt:VideoEncoderConfiguration token="VideoEncoder_1"><tt:Name>VideoEncoder_1</tt:Name><tt:UseCount>1</tt:UseCount><tt:Encoding>H264</tt:Encoding>` +
    `<tt:Resolution><tt:Width>${VIDEO.width}</tt:Width><tt:Height>${VIDEO.height}</tt:Height></tt:Resolution><tt:Quality>5</tt:Quality>` +
    `<tt:RateControl><tt:FrameRateLimit>${VIDEO.fps}</tt:FrameRateLimit><tt:EncodingInterval>1</tt:EncodingInterval><tt:BitrateLimit>${VIDEO.bitrateKbps}</tt:BitrateLimit></tt:RateControl>` +
    `<tt:H264><tt:GovLength>50</tt:GovLength><tt:H264Profile>Main</tt:H264Profile></tt:H264>` +
    `<tt:Multicast><tt:Address><tt:Type>IPv4</tt:Type><tt:IPv4Address>0.0.0.0</tt:IPv4Address></tt:Address><tt:Port>0</tt:Port><tt:TTL>1</tt:TTL><tt:AutoStart>false</tt:AutoStart></tt:Multicast>` +
    `<tt:SessionTimeout>PT60S</tt:SessionTimeout></tt:VideoEncoderConfiguration>` +
    configurationXml('tt:PTZConfiguration') +
    `</${tag}>`
  );
}

function checkProfile(body: XmlNode): void {
  const token = text(child(body, 'ProfileToken'));
  if (token !== PROFILE_TOKEN) throw invalidArg('NoProfile', `No such profile: ${token || '(missing)'}`);
}

const mediaUri = (tag: string, uri: string) =>
  `<trt:${tag}><trt:MediaUri><tt:Uri>${xmlEscape(uri)}</tt:Uri><tt:InvalidAfterConnect>false</tt:InvalidAfterConnect>` +
  `<tt:InvalidAfterReboot>false</tt:InvalidAfterReboot><tt:Timeout>PT0S</tt:Timeout></trt:MediaUri></trt:${tag}>`;

export const mediaOps: Record<string, Op> = {
  GetProfiles: () => `<trt:GetProfilesResponse>${profileXml('trt:Profiles')}</trt:GetProfilesResponse>`,
  GetProfile: (_ctx, body) => {
    checkProfile(body);
    return `<trt:GetProfileResponse>${profileXml('trt:Profile')}</trt:GetProfileResponse>`;
  },
  // Every transport (UDP, HTTP, RTSP) is served by the same RTSP URL, as most cameras do.
  GetStreamUri: (ctx, body) => {
    checkProfile(body);
    return mediaUri('GetStreamUriResponse', ctx.streamUri());
  },
  GetSnapshotUri: (ctx, body) => {
    checkProfile(body);
    const uri = ctx.snapshotUri();
    if (!uri) throw new SoapFault('Receiver', ['ActionNotSupported'], 'No snapshot source');
    return mediaUri('GetSnapshotUriResponse', uri);
  },
};
