/**
 * The camera's reachable range, read at connect (part B of issue 11; wired by onvif-ptz.ts).
 *
 *   readPtzSpaces(call: OnvifCall, ref: PtzProfileRef): Promise<CameraSpaces>
 *     call(operation, bodyXml) sends one PTZ-service request whose Body content is `bodyXml` (built with
 *       common/protocols/onvif getNodeBody/getConfigurationBody/getConfigurationOptionsBody) and resolves
 *       the SOAP Body tree with local names (`parseSoap(xml).body`); it rejects on a fault or a transport error.
 *     ref: the PTZ configuration token of the profile driven, and that profile's PTZConfiguration when read
 *       (`configurationOf(profile.PTZConfiguration)`): used when GetConfiguration is refused — profiles often
 *       leave the limits out, so GetConfiguration is always asked.
 *   → { limits (PtzDriver.limits()), translation (RelativeMove), velocity (ContinuousMove), notes }.
 *
 * A query the camera refuses (fault: ActionNotSupported, NoEntity…) is skipped and noted; a transport error
 * (timeout, refused connection) is rethrown, the connect attempt fails and is retried like any other.
 * Ranges are intersected: every generic space the node and the options list, and the configuration's
 * PanTiltLimits/ZoomLimits, inside ONVIF's generic units. Non-generic spaces (degrees, mm) are not mapped.
 */
import { AppError, DeviceRejectedError } from '../../../../common/errors.js';
import {
  configurationOf,
  getConfigurationBody,
  getConfigurationOptionsBody,
  getNodeBody,
  parseConfigurationOptions,
  parseConfigurations,
  parseNodes,
  SPACE,
  type NumRange,
  type PtzConfigurationReading,
  type SpaceKind,
  type SpaceReading,
  type SpacesReading,
  type XmlNode,
} from '../../../../common/protocols/onvif/index.js';
import { FULL_RANGE, type PtzLimits, type Range } from '../ptz-driver.js';
import { SoapFaultError } from './onvif-faults.js';

export type OnvifCall = (operation: string, bodyXml: string) => Promise<XmlNode>;

export interface PtzProfileRef {
  configurationToken: string;
  /** The profile's PTZConfiguration as read from GetProfiles: the fallback when GetConfiguration is refused. */
  configuration?: PtzConfigurationReading;
}

export interface CameraSpaces {
  limits: PtzLimits;
  /** RelativeMove deltas the camera takes (generic translation spaces, never wider than the limits' span). */
  translation: PtzLimits;
  /** ContinuousMove velocities the camera takes (generic velocity spaces). */
  velocity: PtzLimits;
  /** What was skipped and why (log at connect). */
  notes: string[];
}

export const FULL_TRANSLATION: PtzLimits = { pan: { min: -1, max: 1 }, tilt: { min: -1, max: 1 }, zoom: { min: -1, max: 1 } };

export { configurationOf };

const isRefusal = (e: unknown) =>
  e instanceof SoapFaultError || e instanceof DeviceRejectedError || (e instanceof AppError && e.statusCode === 502);

export async function readPtzSpaces(call: OnvifCall, ref: PtzProfileRef): Promise<CameraSpaces> {
  const notes: string[] = [];
  const ask = async <T>(op: string, body: string, read: (b: XmlNode) => T): Promise<T | undefined> => {
    try {
      return read(await call(op, body));
    } catch (e) {
      if (!isRefusal(e)) throw e;
      notes.push(`${op} refused: ${(e as Error).message}`);
      return undefined;
    }
  };
  // Asked even when the profile carried its configuration: profiles often leave the limits out (agsh fixture).
  const asked = await ask('GetConfiguration', getConfigurationBody(ref.configurationToken), (b) =>
    parseConfigurations(b).find((c) => c.token === ref.configurationToken),
  );
  const config = asked ?? ref.configuration;
  const node = config?.nodeToken
    ? await ask('GetNode', getNodeBody(config.nodeToken), (b) => parseNodes(b).find((n) => n.token === config.nodeToken))
    : undefined;
  const options = await ask('GetConfigurationOptions', getConfigurationOptionsBody(ref.configurationToken), parseConfigurationOptions);
  return spacesFrom({ config, nodeSpaces: node?.spaces, options }, notes);
}

/** Pure part: readings → ranges. `notes` collects what could not be used. */
export function spacesFrom(
  r: { config?: PtzConfigurationReading; nodeSpaces?: SpacesReading; options?: SpacesReading },
  notes: string[] = [],
): CameraSpaces {
  const sources = [r.nodeSpaces, r.options].filter((s): s is SpacesReading => s !== undefined);
  const pick = (kind: SpaceKind, uri: string) => sources.flatMap((s) => generic(s[kind], uri, kind, notes));
  const limitPt = r.config?.panTiltLimits && usable(r.config.panTiltLimits, SPACE.ptPosition, 'PanTiltLimits', notes);
  const limitZ = r.config?.zoomLimits && usable(r.config.zoomLimits, SPACE.zPosition, 'ZoomLimits', notes);
  const ptPos = [...pick('AbsolutePanTiltPositionSpace', SPACE.ptPosition), ...(limitPt ? [limitPt] : [])];
  const zPos = [...pick('AbsoluteZoomPositionSpace', SPACE.zPosition), ...(limitZ ? [limitZ] : [])];
  const limits: PtzLimits = {
    pan: narrow(
      'pan',
      FULL_RANGE.pan,
      ptPos.map((s) => s.x),
      notes,
    ),
    tilt: narrow('tilt', FULL_RANGE.tilt, ptPos.map((s) => s.y).filter(isRange), notes),
    zoom: narrow(
      'zoom',
      FULL_RANGE.zoom,
      zPos.map((s) => s.x),
      notes,
    ),
  };
  const span = (a: Range): Range => ({ min: -(a.max - a.min), max: a.max - a.min });
  const ptTr = pick('RelativePanTiltTranslationSpace', SPACE.ptTranslation);
  const zTr = pick('RelativeZoomTranslationSpace', SPACE.zTranslation);
  const translation: PtzLimits = {
    pan: narrow('pan delta', FULL_TRANSLATION.pan, [span(limits.pan), ...ptTr.map((s) => s.x)], notes),
    tilt: narrow('tilt delta', FULL_TRANSLATION.tilt, [span(limits.tilt), ...ptTr.map((s) => s.y).filter(isRange)], notes),
    zoom: narrow('zoom delta', FULL_TRANSLATION.zoom, [span(limits.zoom), ...zTr.map((s) => s.x)], notes),
  };
  const ptV = pick('ContinuousPanTiltVelocitySpace', SPACE.ptVelocity);
  const zV = pick('ContinuousZoomVelocitySpace', SPACE.zVelocity);
  const velocity: PtzLimits = {
    pan: narrow(
      'pan velocity',
      FULL_TRANSLATION.pan,
      ptV.map((s) => s.x),
      notes,
    ),
    tilt: narrow('tilt velocity', FULL_TRANSLATION.tilt, ptV.map((s) => s.y).filter(isRange), notes),
    zoom: narrow(
      'zoom velocity',
      FULL_TRANSLATION.zoom,
      zV.map((s) => s.x),
      notes,
    ),
  };
  return { limits, translation, velocity, notes };
}

const isRange = (r: NumRange | undefined): r is NumRange => r !== undefined;

/** The generic spaces of a kind; a space without a URI is taken as the generic one (some firmwares omit it). */
function generic(list: SpaceReading[] | undefined, uri: string, kind: string, notes: string[]): SpaceReading[] {
  return (list ?? []).filter((s) => usable(s, uri, kind, notes));
}

function usable(s: SpaceReading, uri: string, what: string, notes: string[]): SpaceReading | undefined {
  if (s.uri === '' || s.uri === uri) return s;
  notes.push(`${what} in ${s.uri} not used (only ONVIF generic spaces are mapped)`);
  return undefined;
}

/** Intersection of `base` with every range; a range that would leave nothing (min > max) is ignored. */
function narrow(axis: string, base: Range, ranges: NumRange[], notes: string[]): Range {
  let out = { ...base };
  for (const r of ranges) {
    const next = { min: Math.max(out.min, r.min), max: Math.min(out.max, r.max) };
    if (next.min > next.max) notes.push(`${axis} range [${r.min}, ${r.max}] outside [${out.min}, ${out.max}], ignored`);
    else out = next;
  }
  return out;
}
