// Readers of a camera's PTZ spaces and limits (ONVIF PTZ Service Spec §5.2–5.3): GetNodes / GetNode
// (SupportedPTZSpaces), GetConfigurationOptions (Spaces), GetConfiguration(s) and the PTZConfiguration
// inside GetProfiles (PanTiltLimits, ZoomLimits). Pure; every field optional, the caller decides.
// Request bodies for the three queries are here too, so client and reader agree on the element names.
import { at, attr, children, isNode, textOf, type XmlValue } from './xml-tree.js';
import { xmlEscape } from './xml-escape.js';

export interface NumRange {
  min: number;
  max: number;
}

/** One space: its URI and ranges (`y` for pan/tilt spaces only). */
export interface SpaceReading {
  uri: string;
  x: NumRange;
  y?: NumRange;
}

export const SPACE_KINDS = [
  'AbsolutePanTiltPositionSpace',
  'AbsoluteZoomPositionSpace',
  'RelativePanTiltTranslationSpace',
  'RelativeZoomTranslationSpace',
  'ContinuousPanTiltVelocitySpace',
  'ContinuousZoomVelocitySpace',
  'PanTiltSpeedSpace',
  'ZoomSpeedSpace',
] as const;
export type SpaceKind = (typeof SPACE_KINDS)[number];
/** Every space a camera lists, per kind (a kind may list several URIs: generic and degrees, say). */
export type SpacesReading = Partial<Record<SpaceKind, SpaceReading[]>>;

export interface PtzNodeReading {
  token: string;
  name?: string;
  spaces: SpacesReading;
  maxPresets?: number;
  homeSupported?: boolean;
}

export interface PtzConfigurationReading {
  token: string;
  nodeToken?: string;
  panTiltLimits?: SpaceReading;
  zoomLimits?: SpaceReading;
}

const numText = (v: XmlValue | undefined): number | undefined => {
  const s = textOf(v);
  const n = s === undefined || s === '' ? NaN : Number(s);
  return Number.isFinite(n) ? n : undefined;
};

function rangeOf(v: XmlValue | undefined): NumRange | undefined {
  const min = numText(at(v, 'Min'));
  const max = numText(at(v, 'Max'));
  return min === undefined || max === undefined ? undefined : { min, max };
}

/** `<URI/><XRange/>[<YRange/>]` → space; undefined without an X range (unusable). */
export function spaceOf(v: XmlValue | undefined): SpaceReading | undefined {
  const x = rangeOf(at(v, 'XRange'));
  if (!isNode(v) || !x) return undefined;
  const y = rangeOf(at(v, 'YRange'));
  return { uri: textOf(at(v, 'URI')) ?? '', x, ...(y ? { y } : {}) };
}

/** A `SupportedPTZSpaces` or `Spaces` element → spaces by kind. */
export function spacesOf(v: XmlValue | undefined): SpacesReading {
  const out: SpacesReading = {};
  for (const kind of SPACE_KINDS) {
    const list = children(v, kind)
      .map(spaceOf)
      .filter((s): s is SpaceReading => s !== undefined);
    if (list.length) out[kind] = list;
  }
  return out;
}

function nodeOf(v: XmlValue): PtzNodeReading | undefined {
  const token = attr(v, 'token');
  if (!token) return undefined;
  const max = numText(at(v, 'MaximumNumberOfPresets'));
  const home = textOf(at(v, 'HomeSupported'));
  return {
    token,
    ...(textOf(at(v, 'Name')) ? { name: textOf(at(v, 'Name')) } : {}),
    spaces: spacesOf(at(v, 'SupportedPTZSpaces')),
    ...(max !== undefined ? { maxPresets: max } : {}),
    ...(home !== undefined ? { homeSupported: home === 'true' || home === '1' } : {}),
  };
}

/** GetNodesResponse (PTZNode…) or GetNodeResponse (PTZNode) → nodes; nodes without a token are skipped. */
export function parseNodes(body: XmlValue): PtzNodeReading[] {
  const list = [...children(at(body, 'GetNodesResponse'), 'PTZNode'), ...children(at(body, 'GetNodeResponse'), 'PTZNode')];
  return list.map(nodeOf).filter((n): n is PtzNodeReading => n !== undefined);
}

/** GetConfigurationOptionsResponse → its Spaces (empty when the camera sent none). */
export function parseConfigurationOptions(body: XmlValue): SpacesReading {
  return spacesOf(at(body, 'GetConfigurationOptionsResponse', 'PTZConfigurationOptions', 'Spaces'));
}

/** A PTZConfiguration element (GetConfiguration(s), or a media profile's) → token, node and limits. */
export function configurationOf(v: XmlValue | undefined): PtzConfigurationReading | undefined {
  const token = attr(v, 'token');
  if (!token) return undefined;
  const pt = spaceOf(at(v, 'PanTiltLimits', 'Range'));
  const z = spaceOf(at(v, 'ZoomLimits', 'Range'));
  const node = textOf(at(v, 'NodeToken'));
  return { token, ...(node ? { nodeToken: node } : {}), ...(pt ? { panTiltLimits: pt } : {}), ...(z ? { zoomLimits: z } : {}) };
}

/** GetConfigurationResponse or GetConfigurationsResponse → configurations. */
export function parseConfigurations(body: XmlValue): PtzConfigurationReading[] {
  const list = [
    ...children(at(body, 'GetConfigurationResponse'), 'PTZConfiguration'),
    ...children(at(body, 'GetConfigurationsResponse'), 'PTZConfiguration'),
  ];
  return list.map(configurationOf).filter((c): c is PtzConfigurationReading => c !== undefined);
}

// ── requests (client side) ─────────────────────────────────────────────────────────────────────
const tag = (op: string, name: string, token: string) => `<tptz:${op}><tptz:${name}>${xmlEscape(token)}</tptz:${name}></tptz:${op}>`;
export const getNodeBody = (nodeToken: string) => tag('GetNode', 'NodeToken', nodeToken);
export const getConfigurationBody = (configurationToken: string) => tag('GetConfiguration', 'PTZConfigurationToken', configurationToken);
export const getConfigurationOptionsBody = (configurationToken: string) =>
  tag('GetConfigurationOptions', 'ConfigurationToken', configurationToken);
