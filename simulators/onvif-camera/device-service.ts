// Device service (ver10/device/wsdl) responses: clock, capabilities, services, identity, scopes.
import { child, NS, SoapFault, text, xmlEscape, type XmlNode } from '../../common/protocols/onvif/index.js';

export interface CameraInfo {
  name: string;
  manufacturer: string;
  model: string;
  firmwareVersion: string;
  serialNumber: string;
  hardwareId: string;
  scopes: string[];
}

export interface ServiceContext {
  info: CameraInfo;
  urls: { device: string; media: string; ptz: string };
  streamUri(): string;
  snapshotUri(): string | undefined;
  /** The camera's own wall clock (ms): ours plus its skew. Default Date.now(). */
  now?(): number;
  /** Media profiles in the order GetProfiles lists them; default one PTZ profile (media-service.ts). */
  profiles?: SimProfile[];
  /** SetSynchronizationPoint: an I-frame on the profile's stream now; absent = the camera lacks the operation. */
  syncPoint?(profile: SimProfile): void;
}

export interface SimProfile {
  token: string;
  name: string;
  /** Carries the PTZ configuration (only Profile_1 can: ptz-args.ts checks the token). */
  ptz: boolean;
  width: number;
  height: number;
  encoding: 'H264' | 'JPEG';
}

type Op = (ctx: ServiceContext, body: XmlNode) => string;

const dateTime = (tag: string, d: Date) =>
  `<tt:${tag}><tt:Time><tt:Hour>${d.getUTCHours()}</tt:Hour><tt:Minute>${d.getUTCMinutes()}</tt:Minute><tt:Second>${d.getUTCSeconds()}</tt:Second></tt:Time>` +
  `<tt:Date><tt:Year>${d.getUTCFullYear()}</tt:Year><tt:Month>${d.getUTCMonth() + 1}</tt:Month><tt:Day>${d.getUTCDate()}</tt:Day></tt:Date></tt:${tag}>`;

function capabilities(ctx: ServiceContext, category: string): string {
  const parts: Record<string, string> = {
    Device:
      `<tt:Device><tt:XAddr>${xmlEscape(ctx.urls.device)}</tt:XAddr><tt:Network><tt:IPFilter>false</tt:IPFilter><tt:ZeroConfiguration>false</tt:ZeroConfiguration><tt:IPVersion6>false</tt:IPVersion6><tt:DynDNS>false</tt:DynDNS></tt:Network>` +
      `<tt:System><tt:DiscoveryResolve>false</tt:DiscoveryResolve><tt:DiscoveryBye>false</tt:DiscoveryBye><tt:RemoteDiscovery>false</tt:RemoteDiscovery><tt:SystemBackup>false</tt:SystemBackup><tt:SystemLogging>false</tt:SystemLogging><tt:FirmwareUpgrade>false</tt:FirmwareUpgrade>` +
      `<tt:SupportedVersions><tt:Major>2</tt:Major><tt:Minor>60</tt:Minor></tt:SupportedVersions></tt:System></tt:Device>`,
    Media:
      `<tt:Media><tt:XAddr>${xmlEscape(ctx.urls.media)}</tt:XAddr><tt:StreamingCapabilities><tt:RTPMulticast>false</tt:RTPMulticast>` +
      `<tt:RTP_TCP>true</tt:RTP_TCP><tt:RTP_RTSP_TCP>true</tt:RTP_RTSP_TCP></tt:StreamingCapabilities></tt:Media>`,
    PTZ: `<tt:PTZ><tt:XAddr>${xmlEscape(ctx.urls.ptz)}</tt:XAddr></tt:PTZ>`,
  };
  if (category === 'All') return Object.values(parts).join('');
  const one = parts[category];
  // Asking for a service this camera lacks (Events, Imaging, Analytics) is a Receiver fault on real devices.
  if (!one) throw new SoapFault('Receiver', ['ActionNotSupported', 'NoSuchService'], `No ${category} service`);
  return one;
}

function service(ns: string, url: string, caps: string | undefined): string {
  return `<tds:Service><tds:Namespace>${ns}</tds:Namespace><tds:XAddr>${xmlEscape(url)}</tds:XAddr>${caps ? `<tds:Capabilities>${caps}</tds:Capabilities>` : ''}<tds:Version><tt:Major>2</tt:Major><tt:Minor>60</tt:Minor></tds:Version></tds:Service>`;
}

export const deviceOps: Record<string, Op> = {
  GetSystemDateAndTime: (ctx) => {
    const now = new Date(ctx.now?.() ?? Date.now());
    return (
      `<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime><tt:DateTimeType>NTP</tt:DateTimeType><tt:DaylightSavings>false</tt:DaylightSavings>` +
      `<tt:TimeZone><tt:TZ>UTC0</tt:TZ></tt:TimeZone>${dateTime('UTCDateTime', now)}${dateTime('LocalDateTime', now)}</tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>`
    );
  },
  GetCapabilities: (ctx, body) => {
    const cats = child(body, 'Category');
    const category = (Array.isArray(cats) ? text(cats[0]) : text(cats)) || 'All';
    return `<tds:GetCapabilitiesResponse><tds:Capabilities>${capabilities(ctx, category)}</tds:Capabilities></tds:GetCapabilitiesResponse>`;
  },
  GetServices: (ctx, body) => {
    const inc = text(child(body, 'IncludeCapability')) === 'true';
    const list = [
      service(
        NS.tds,
        ctx.urls.device,
        inc ? '<tds:Capabilities><tds:Network/><tds:Security UsernameToken="true"/><tds:System/></tds:Capabilities>' : undefined,
      ),
      service(
        NS.trt,
        ctx.urls.media,
        inc
          ? '<trt:Capabilities SnapshotUri="true" Rotation="false"><trt:ProfileCapabilities MaximumNumberOfProfiles="1"/><trt:StreamingCapabilities RTP_TCP="true" RTP_RTSP_TCP="true"/></trt:Capabilities>'
          : undefined,
      ),
      service(NS.tptz, ctx.urls.ptz, inc ? '<tptz:Capabilities MoveStatus="true" StatusPosition="true"/>' : undefined),
    ];
    return `<tds:GetServicesResponse>${list.join('')}</tds:GetServicesResponse>`;
  },
  GetDeviceInformation: ({ info }) =>
    `<tds:GetDeviceInformationResponse><tds:Manufacturer>${xmlEscape(info.manufacturer)}</tds:Manufacturer><tds:Model>${xmlEscape(info.model)}</tds:Model>` +
    `<tds:FirmwareVersion>${xmlEscape(info.firmwareVersion)}</tds:FirmwareVersion><tds:SerialNumber>${xmlEscape(info.serialNumber)}</tds:SerialNumber>` +
    `<tds:HardwareId>${xmlEscape(info.hardwareId)}</tds:HardwareId></tds:GetDeviceInformationResponse>`,
  GetScopes: ({ info }) =>
    `<tds:GetScopesResponse>${info.scopes.map((s) => `<tds:Scopes><tt:ScopeDef>Fixed</tt:ScopeDef><tt:ScopeItem>${xmlEscape(s)}</tt:ScopeItem></tds:Scopes>`).join('')}</tds:GetScopesResponse>`,
};
