import soap from 'node-onvif/lib/modules/soap.js';
import { parseFault, SoapFaultError } from './onvif-faults.js';

// The one request node-onvif cannot send: its SetPreset rejects non-ASCII names ("Bàn công dân") and
// does not XML-escape them. We reuse its envelope (WS-Security digest with the camera clock offset)
// and its parser, and only own the body and the HTTP round trip (which gets a real deadline).

const PTZ_XMLNS = [
  'xmlns:tt="http://www.onvif.org/ver10/schema"',
  'xmlns:tptz="http://www.onvif.org/ver20/ptz/wsdl"',
];

export function xmlEscape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** SetPreset body; `token` overwrites that preset, otherwise the camera assigns one. */
export function setPresetBody(profileToken: string, name: string, token?: string): string {
  return (
    '<tptz:SetPreset>' +
    `<tptz:ProfileToken>${xmlEscape(profileToken)}</tptz:ProfileToken>` +
    `<tptz:PresetName>${xmlEscape(name)}</tptz:PresetName>` +
    (token !== undefined ? `<tptz:PresetToken>${xmlEscape(token)}</tptz:PresetToken>` : '') +
    '</tptz:SetPreset>'
  );
}

export interface SoapTarget {
  url: string;
  user: string;
  pass: string;
  /** Camera clock minus ours, ms (node-onvif's time_diff from GetSystemDateAndTime). */
  timeDiffMs: number;
}

/** POSTs one PTZ request; resolves the SOAP Body, rejects SoapFaultError on a fault. */
export async function callPtz(target: SoapTarget, body: string, timeoutMs: number): Promise<Record<string, any>> {
  const envelope = soap.createRequestSoap({ body, xmlns: PTZ_XMLNS, diff: target.timeDiffMs, user: target.user, pass: target.pass });
  const res = await fetch(target.url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/soap+xml; charset=utf-8' },
    body: envelope,
    signal: AbortSignal.timeout(timeoutMs),
  });
  const parsed = await soap.parse(await res.text());
  const fault = parseFault(parsed);
  if (fault) throw new SoapFaultError(fault);
  if (!res.ok || !parsed?.Body) throw new TypeError(`HTTP ${res.status} without a SOAP answer`);
  return parsed.Body;
}
