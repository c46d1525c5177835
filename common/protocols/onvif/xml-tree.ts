// XML → plain trees with local names only, and the accessors every ONVIF reader uses. Two tree shapes
// are read alike: ours (fast-xml-parser: attributes `@_name`, text `#text`) and the one node-onvif hands
// the driver (xml2js, prefixes stripped: attributes under `$`, text under `_`). In both, an element with
// neither attributes nor children is a string and a repeated element is an array.
import { XMLParser } from 'fast-xml-parser';

export type XmlValue = string | XmlNode | XmlValue[];
export interface XmlNode {
  [key: string]: XmlValue;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  removeNSPrefix: false,
});

/** Parses XML keeping prefixes (so namespaces can be resolved); `strict` rejects what is not well-formed. */
export function parseXml(xml: string, strict = true): XmlNode {
  return parser.parse(xml, strict) as XmlNode;
}

export const localName = (key: string) => key.slice(key.indexOf(':') + 1);
export const isNode = (v: unknown): v is XmlNode => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Rebuilds a subtree with local names only; xmlns declarations are dropped. */
export function localize(v: XmlValue): XmlValue {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map(localize);
  const out: XmlNode = {};
  for (const [k, val] of Object.entries(v)) {
    if (k === '@_xmlns' || k.startsWith('@_xmlns:')) continue;
    const name = k.startsWith('@_') ? `@_${localName(k.slice(2))}` : k === '#text' ? k : localName(k);
    out[name] = localize(val);
  }
  return out;
}

/** Descends by local names like optional chaining (`v?.A?.B`): undefined as soon as a step is not an element. */
export function at(v: XmlValue | undefined, ...names: string[]): XmlValue | undefined {
  let n = v;
  for (const name of names) n = isNode(n) ? n[name] : undefined;
  return n;
}

/** The child element `name` (first one when repeated); an array stands for its first element. */
export function child(v: XmlValue | undefined, name: string): XmlValue | undefined {
  if (Array.isArray(v)) return child(v[0], name);
  return isNode(v) ? v[name] : undefined;
}

/** Every child element `name`, in document order. */
export function children(v: XmlValue | undefined, name: string): XmlValue[] {
  const c = isNode(v) ? v[name] : undefined;
  return c === undefined || c === null ? [] : Array.isArray(c) ? c : [c];
}

/** Text content as parsed, '' when there is none; an array stands for its first element. */
export function text(v: XmlValue | undefined): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return text(v[0]);
  if (isNode(v)) {
    const t = v['#text'] ?? v._;
    if (typeof t === 'string') return t;
  }
  return '';
}

/** Trimmed text of a single element, undefined when absent, repeated or not text (readers of camera answers). */
export function textOf(v: XmlValue | undefined | null): string | undefined {
  if (typeof v === 'string') return v.trim();
  if (isNode(v)) {
    const t = v['#text'] ?? v._;
    if (typeof t === 'string') return t.trim();
  }
  return undefined;
}

/** Attribute by local name, in either tree shape. */
export function attr(v: XmlValue | undefined, name: string): string | undefined {
  if (Array.isArray(v)) return attr(v[0], name);
  if (!isNode(v)) return undefined;
  const a = v[`@_${name}`] ?? child(v.$, name);
  return typeof a === 'string' ? a : undefined;
}
