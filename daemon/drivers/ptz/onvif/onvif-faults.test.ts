import soap from 'node-onvif/lib/modules/soap.js';
import { describe, expect, it } from 'vitest';
import { DeviceRejectedError, DeviceUnavailableError, NotFoundError } from '../../../../common/errors.js';
import { parseFault } from '../../../../common/protocols/onvif/index.js';
import { SoapFaultError, toDriverError } from './onvif-faults.js';

// Faults shaped as ONVIF Core §5.11 prescribes (nested Subcodes, Text with xml:lang) — the attribute
// is exactly what node-onvif trips over (it turns the reason into "[object Object]").
const fault = (sub: string[], reason: string) =>
  `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:ter="http://www.onvif.org/ver10/error"><s:Body><s:Fault><s:Code><s:Value>s:Sender</s:Value>` +
  sub.reduceRight((inner, v) => `<s:Subcode><s:Value>${v}</s:Value>${inner}</s:Subcode>`, '') +
  `</s:Code><s:Reason><s:Text xml:lang="en">${reason}</s:Text></s:Reason></s:Fault></s:Body></s:Envelope>`;

/** The SOAP Body as node-onvif parses it (the shape of its rejections); callPtz parses with common's parseSoap. */
const body = async (xml: string) => (await soap.parse(xml))?.Body;

describe('onvif-faults', () => {
  it('parses the subcode chain and the reason', async () => {
    const f = parseFault(await body(fault(['ter:InvalidArgVal', 'ter:NoToken'], 'No such preset')));
    expect(f).toEqual({ code: 's:Sender', subcodes: ['ter:InvalidArgVal', 'ter:NoToken'], reason: 'No such preset' });
    expect(parseFault(await body('<s:Envelope xmlns:s="x"><s:Body><r/></s:Body></s:Envelope>'))).toBeUndefined();
  });

  it('unknown token on a preset call is NotFound, elsewhere Rejected', async () => {
    const f = parseFault(await body(fault(['ter:InvalidArgVal', 'ter:NoToken'], 'No such preset')))!;
    expect(toDriverError('cam', new SoapFaultError(f), { preset: '99' })).toBeInstanceOf(NotFoundError);
    expect(toDriverError('cam', new SoapFaultError(f))).toBeInstanceOf(DeviceRejectedError);
    const busy = parseFault(await body(fault(['ter:Action', 'ter:NotSupported'], 'busy')))!;
    expect(toDriverError('cam', new SoapFaultError(busy), { preset: '1' })).toBeInstanceOf(DeviceRejectedError);
    const far = parseFault(await body(fault(['ter:InvalidArgVal', 'ter:InvalidPosition'], 'out of range')))!;
    expect(toDriverError('cam', new SoapFaultError(far), { preset: '1' })).toBeInstanceOf(DeviceRejectedError);
  });

  it('classifies node-onvif errors by message', async () => {
    const un = (m: string) => expect(toDriverError('cam', new Error(m))).toBeInstanceOf(DeviceUnavailableError);
    un('Network Error: connect ECONNREFUSED 127.0.0.1:1');
    un('Failed to initialize the device: Error: Network Error: socket hang up');
    un('502 Bad Gateway');
    un('The device seems to not support the GetStatus() method.');
    expect(toDriverError('cam', new Error('500 Internal Server Error - Preset not found'))).toBeInstanceOf(DeviceRejectedError);
    expect(toDriverError('cam', new Error('401 Unauthorized'))).toBeInstanceOf(DeviceRejectedError);
  });

  it('garbage that fails to parse is DeviceUnavailable', async () => {
    const err = await soap.parse('<s:Envelope><s:Bo').catch((e: unknown) => e);
    expect(toDriverError('cam', err)).toBeInstanceOf(DeviceUnavailableError);
    // An empty 200 parses to null; node-onvif then fails reading .Body with a TypeError.
    const empty = await soap.parse('');
    const err2 = (() => {
      try {
        return (empty as any).Body;
      } catch (e) {
        return e;
      }
    })();
    expect(toDriverError('cam', err2)).toBeInstanceOf(DeviceUnavailableError);
  });
});
