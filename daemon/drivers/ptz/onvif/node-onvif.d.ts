// The slice of node-onvif 0.1.7 (CommonJS, untyped) this driver uses. Results are xml2js trees with
// namespace prefixes stripped; `data` is the SOAP Body.

declare module 'node-onvif' {
  export interface SoapResult {
    soap: string;
    converted: Record<string, unknown>;
    data: Record<string, any>;
  }

  export interface OnvifProfile {
    token: string;
    name: string;
    stream: { udp: string; http: string; rtsp: string };
    ptz: { range: Record<'x' | 'y' | 'z', { min: number; max: number }> };
  }

  export interface OnvifInformation {
    Manufacturer?: string;
    Model?: string;
    FirmwareVersion?: string;
    SerialNumber?: string;
    HardwareId?: string;
  }

  type Vec = { x: number; y: number; z: number };

  export interface OnvifServicePtz {
    xaddr: string;
    getStatus(p: { ProfileToken: string }): Promise<SoapResult>;
    continuousMove(p: { ProfileToken: string; Velocity: Vec; Timeout?: number }): Promise<SoapResult>;
    stop(p: { ProfileToken: string; PanTilt?: boolean; Zoom?: boolean }): Promise<SoapResult>;
    absoluteMove(p: { ProfileToken: string; Position: Vec; Speed?: Vec }): Promise<SoapResult>;
    relativeMove(p: { ProfileToken: string; Translation: Vec }): Promise<SoapResult>;
    gotoHomePosition(p: { ProfileToken: string }): Promise<SoapResult>;
    getPresets(p: { ProfileToken: string }): Promise<SoapResult>;
    gotoPreset(p: { ProfileToken: string; PresetToken: string; Speed?: Vec }): Promise<SoapResult>;
    removePreset(p: { ProfileToken: string; PresetToken: string }): Promise<SoapResult>;
    getConfigurationOptions(p: { ConfigurationToken: string }): Promise<SoapResult>;
  }

  export interface OnvifServiceMedia {
    xaddr: string;
    getProfiles(cb?: (err: Error | null, r?: SoapResult) => void): Promise<SoapResult>;
    getStreamUri(p: { ProfileToken: string; Protocol: 'UDP' | 'HTTP' | 'RTSP' }): Promise<SoapResult>;
  }

  export interface OnvifServiceDevice {
    getCapabilities(cb?: (err: Error | null, r?: SoapResult) => void): Promise<SoapResult>;
  }

  export class OnvifDevice {
    constructor(params: { xaddr?: string; address?: string; user?: string; pass?: string });
    time_diff: number;
    services: { device: OnvifServiceDevice; media: OnvifServiceMedia | null; ptz: OnvifServicePtz | null; events: unknown };
    init(): Promise<OnvifInformation>;
    getInformation(): OnvifInformation | null;
    getCurrentProfile(): OnvifProfile | null;
    getProfileList(): OnvifProfile[];
    changeProfile(tokenOrIndex: string | number): OnvifProfile | null;
    /** Internal init steps, used by the fixture tests to run node-onvif's own parsing on recorded answers. */
    _getCapabilities(): Promise<void>;
    _mediaGetProfiles(): Promise<void>;
  }

  const onvif: { OnvifDevice: typeof OnvifDevice };
  export default onvif;
}

declare module 'node-onvif/lib/modules/soap.js' {
  const soap: {
    /** xml2js with explicitArray false and namespace prefixes stripped; resolves the Envelope's children. */
    parse(xml: string): Promise<Record<string, any>>;
    /** Envelope with a WS-Security UsernameToken digest, `diff` = camera clock minus ours (ms). */
    createRequestSoap(p: { body: string; xmlns: string[]; diff?: number; user?: string; pass?: string }): string;
  };
  export default soap;
}
