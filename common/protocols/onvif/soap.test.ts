import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildRequest, faultXml, parseSoap, responseEnvelope } from './envelope.js';
import { parseFault, SoapFault } from './fault.js';
import { NS } from './namespaces.js';
import { xmlEscape } from './xml-escape.js';
import { attr, child, children, text } from './xml-tree.js';
import { formatDuration, parseDuration } from './duration.js';

/** A recorded file of fixtures/ (provenance in fixtures/README.md). */
const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

// Faults shaped as ONVIF Core §5.11 prescribes (nested Subcodes, Text with xml:lang).
const specFault = (sub: string[], reason: string) =>
  `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:ter="http://www.onvif.org/ver10/error"><s:Body><s:Fault><s:Code><s:Value>s:Sender</s:Value>` +
  sub.reduceRight((inner, v) => `<s:Subcode><s:Value>${v}</s:Value>${inner}</s:Subcode>`, '') +
  `</s:Code><s:Reason><s:Text xml:lang="en">${reason}</s:Text></s:Reason></s:Fault></s:Body></s:Envelope>`;

describe('xmlEscape', () => {
  it('escapes the five XML specials with named entities, and nothing else', () => {
    expect(xmlEscape('A&B <c> "d" \'e\'')).toBe('A&amp;B &lt;c&gt; &quot;d&quot; &apos;e&apos;');
    expect(xmlEscape('Bàn công dân')).toBe('Bàn công dân');
    expect(xmlEscape(0.5)).toBe('0.5');
    expect(xmlEscape(true)).toBe('true');
  });
});

describe('parseSoap (recorded node-onvif requests)', () => {
  it('finds namespace, action and the prefix-free operation', () => {
    const req = parseSoap(fixture('node-onvif-absolute-move.xml'));
    expect(req).toMatchObject({ ns: NS.tptz, action: 'AbsoluteMove' });
    expect(text(child(req.operation, 'ProfileToken'))).toBe('Profile_1');
    expect(attr(child(child(req.operation, 'Position'), 'PanTilt'), 'x')).toBe('0.5');
    expect(attr(child(child(req.operation, 'Speed'), 'Zoom'), 'x')).toBe('1');
    expect(req.body.AbsoluteMove).toBe(req.operation);
  });

  it('reads empty operations and operations declaring their own namespace', () => {
    expect(parseSoap(fixture('node-onvif-get-system-date-and-time.xml'))).toMatchObject({
      ns: NS.tds,
      action: 'GetSystemDateAndTime',
      operation: {},
    });
    expect(parseSoap(fixture('wsse-prefixed-get-status.xml'))).toMatchObject({ ns: NS.tptz, action: 'GetStatus' });
    expect(text(child(parseSoap(fixture('node-onvif-stop.xml')).operation, 'PanTilt'))).toBe('true');
  });

  it('refuses what is not a SOAP message with the fault a camera answers', () => {
    const fault = (xml: string) => (() => parseSoap(xml)) as () => never;
    expect(fault('<s:Envelope><oops')).toThrow(SoapFault);
    expect(fault('<s:Envelope><oops')).toThrow(/Malformed/);
    expect(fault('<a/>')).toThrow(/No SOAP Envelope\/Body/);
    expect(fault(`<s:Envelope xmlns:s="${NS.env}"><s:Body xmlns:a="urn:a"/></s:Envelope>`)).toThrow(/Empty SOAP Body/);
  });

  it('a request built here parses back, escaping intact', () => {
    const req = parseSoap(buildRequest('<tptz:SetPreset><tptz:PresetName>Bàn &amp; ghế</tptz:PresetName></tptz:SetPreset>'));
    expect(req).toMatchObject({ ns: NS.tptz, action: 'SetPreset', header: {} });
    expect(text(child(req.operation, 'PresetName'))).toBe('Bàn & ghế');
  });

  it('children() lists repeated and single elements alike', () => {
    const many = parseSoap(
      responseEnvelope('<tptz:GetPresetsResponse><tptz:Preset token="1"/><tptz:Preset token="2"/></tptz:GetPresetsResponse>'),
    );
    expect(children(many.operation, 'Preset').map((p) => attr(p, 'token'))).toEqual(['1', '2']);
    const one = parseSoap(responseEnvelope('<tptz:GetPresetsResponse><tptz:Preset token="1"/></tptz:GetPresetsResponse>'));
    expect(children(one.operation, 'Preset')).toHaveLength(1);
    expect(children(one.operation, 'Nothing')).toEqual([]);
  });
});

describe('faults', () => {
  it('reads the subcode chain and the reason of a spec-shaped fault', () => {
    const m = parseSoap(specFault(['ter:InvalidArgVal', 'ter:NoToken'], 'No such preset'));
    expect(m.action).toBe('Fault');
    expect(parseFault(m.body)).toEqual({ code: 's:Sender', subcodes: ['ter:InvalidArgVal', 'ter:NoToken'], reason: 'No such preset' });
    expect(parseFault(parseSoap(`<s:Envelope xmlns:s="x"><s:Body><r/></s:Body></s:Envelope>`).body)).toBeUndefined();
    expect(parseFault(undefined)).toBeUndefined();
  });

  it('SOAP 1.1 faultcode/faultstring (old firmwares)', () => {
    const xml =
      '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultcode>s:Client</faultcode><faultstring>Bad user</faultstring></s:Fault></s:Body></s:Envelope>';
    expect(parseFault(parseSoap(xml).body)).toEqual({ code: 's:Client', subcodes: [], reason: 'Bad user' });
  });

  it('a fault raised here travels as 400/500 and reads back with prefixes', () => {
    const f = new SoapFault('Sender', ['InvalidArgVal', 'NoToken'], 'No such preset: <9>');
    expect(f.httpStatus).toBe(400);
    expect(new SoapFault('Receiver', ['ActionNotSupported'], 'x').httpStatus).toBe(500);
    expect(parseFault(parseSoap(faultXml(f)).body)).toEqual({
      code: 'env:Sender',
      subcodes: ['ter:InvalidArgVal', 'ter:NoToken'],
      reason: 'No such preset: <9>',
    });
  });
});

describe('xs:duration', () => {
  it.each([
    ['PT5S', 5000],
    ['PT0.5S', 500],
    ['PT1M30S', 90_000],
    ['PT1H', 3_600_000],
    ['P1DT2H', 93_600_000],
    ['PT0S', 0],
  ])('%s = %d ms', (s, ms) => expect(parseDuration(s)).toBe(ms));

  it.each(['', 'P', 'PT', '5S', 'P1Y', 'PT-1S', 'PTS'])('rejects %j', (s) => expect(parseDuration(s)).toBeUndefined());

  it('formats back', () => expect(parseDuration(formatDuration(1500))).toBe(1500));
});
