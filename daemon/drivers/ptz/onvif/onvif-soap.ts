import { randomBytes } from 'node:crypto';
import { buildRequest, parseFault, parseSoap, SOAP_CONTENT_TYPE, type XmlNode } from '../../../../common/protocols/onvif/index.js';
import { SoapFaultError } from './onvif-faults.js';

// The one request node-onvif cannot send: its SetPreset rejects non-ASCII names ("Bàn công dân") and
// does not XML-escape them. The envelope, the WS-Security digest (on the camera's clock) and the
// parsing are common/protocols/onvif's; here only the HTTP round trip, with a real deadline.

export interface SoapTarget {
  url: string;
  user: string;
  pass: string;
  /** Camera clock minus ours, ms (node-onvif's time_diff from GetSystemDateAndTime). */
  timeDiffMs: number;
}

/** POSTs one PTZ request; resolves the SOAP Body, rejects SoapFaultError on a fault. */
export async function callPtz(target: SoapTarget, body: string, timeoutMs: number): Promise<XmlNode> {
  const created = new Date(Date.now() + (target.timeDiffMs || 0)).toISOString();
  const envelope = buildRequest(body, { username: target.user, password: target.pass, nonce: randomBytes(16), created });
  const res = await fetch(target.url, {
    method: 'POST',
    headers: { 'Content-Type': SOAP_CONTENT_TYPE },
    body: envelope,
    signal: AbortSignal.timeout(timeoutMs),
  });
  const xml = await res.text();
  let answer: XmlNode;
  try {
    answer = parseSoap(xml).body;
  } catch (e) {
    // Garbage or an empty 200: the camera is not answering sensibly (toDriverError → unavailable).
    throw new TypeError(`HTTP ${res.status} without a SOAP answer: ${(e as Error).message}`);
  }
  const fault = parseFault(answer);
  if (fault) throw new SoapFaultError(fault);
  if (!res.ok) throw new TypeError(`HTTP ${res.status} without a SOAP answer`);
  return answer;
}
