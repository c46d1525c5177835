// The one XML escaper of the ONVIF code: text and attribute values, named entities (XML 1.0 §2.4).

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Safe inside element text and inside "…" or '…' attribute values. Numbers and booleans as String() writes them. */
export function xmlEscape(value: string | number | boolean): string {
  return String(value).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}
