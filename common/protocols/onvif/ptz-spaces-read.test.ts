import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSoap } from './envelope.js';
import { configurationOf, parseConfigurationOptions, parseConfigurations, parseNodes } from './ptz-spaces-read.js';
import { at } from './xml-tree.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const range = (min: number, max: number) => `<tt:Min>${min}</tt:Min><tt:Max>${max}</tt:Max>`;
const env = (body: string) =>
  `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:tptz="http://www.onvif.org/ver20/ptz/wsdl" xmlns:tt="http://www.onvif.org/ver10/schema"><s:Body>${body}</s:Body></s:Envelope>`;
const PT = 'http://www.onvif.org/ver10/tptz/PanTiltSpaces/';
const Z = 'http://www.onvif.org/ver10/tptz/ZoomSpaces/';

// agsh/onvif test/serverMockup/GetConfigurationOptions.xml @ 878692693e58 (a camera recorded 2015-01-26):
// its *generic* AbsolutePanTiltPositionSpace is 0..1 on both axes — the Spaces part kept as recorded.
const AGSH_OPTIONS = env(
  '<tptz:GetConfigurationOptionsResponse><tptz:PTZConfigurationOptions><tt:Spaces>' +
    `<tt:AbsolutePanTiltPositionSpace><tt:URI>${PT}PositionGenericSpace</tt:URI><tt:XRange>${range(0, 1)}</tt:XRange><tt:YRange>${range(0, 1)}</tt:YRange></tt:AbsolutePanTiltPositionSpace>` +
    `<tt:AbsoluteZoomPositionSpace><tt:URI>${Z}PositionGenericSpace</tt:URI><tt:XRange>${range(0, 1)}</tt:XRange></tt:AbsoluteZoomPositionSpace>` +
    `<tt:RelativeZoomTranslationSpace><tt:URI>${Z}TranslationGenericSpace</tt:URI><tt:XRange>${range(-1, 1)}</tt:XRange></tt:RelativeZoomTranslationSpace>` +
    `<tt:PanTiltSpeedSpace><tt:URI>${PT}GenericSpeedSpace</tt:URI><tt:XRange>${range(0, 1)}</tt:XRange></tt:PanTiltSpeedSpace>` +
    '</tt:Spaces><tt:PTZTimeout><tt:Min>PT0S</tt:Min><tt:Max>PT10S</tt:Max></tt:PTZTimeout></tptz:PTZConfigurationOptions></tptz:GetConfigurationOptionsResponse>',
);

describe('PTZ spaces readers', () => {
  it('GetConfigurationOptions: every space by kind, with the vendor ranges as sent', () => {
    const s = parseConfigurationOptions(parseSoap(AGSH_OPTIONS).body);
    expect(s.AbsolutePanTiltPositionSpace).toEqual([{ uri: `${PT}PositionGenericSpace`, x: { min: 0, max: 1 }, y: { min: 0, max: 1 } }]);
    expect(s.AbsoluteZoomPositionSpace?.[0].x).toEqual({ min: 0, max: 1 });
    expect(s.RelativeZoomTranslationSpace?.[0].x).toEqual({ min: -1, max: 1 });
    expect(s.ContinuousPanTiltVelocitySpace).toBeUndefined();
  });

  it('GetNodes: several nodes, several spaces of a kind (generic and degrees), presets and home', () => {
    const node = (token: string, extra: string) =>
      `<tptz:PTZNode token="${token}" FixedHomePosition="false"><tt:Name>${token}</tt:Name><tt:SupportedPTZSpaces>${extra}</tt:SupportedPTZSpaces>` +
      '<tt:MaximumNumberOfPresets>300</tt:MaximumNumberOfPresets><tt:HomeSupported>true</tt:HomeSupported></tptz:PTZNode>';
    const zoom = (uri: string, max: number) =>
      `<tt:AbsoluteZoomPositionSpace><tt:URI>${uri}</tt:URI><tt:XRange>${range(0, max)}</tt:XRange></tt:AbsoluteZoomPositionSpace>`;
    const body = parseSoap(
      env(
        `<tptz:GetNodesResponse>${node('n1', zoom(`${Z}PositionGenericSpace`, 1) + zoom('http://vendor/zoom/x', 30))}${node('n2', '')}</tptz:GetNodesResponse>`,
      ),
    ).body;
    const nodes = parseNodes(body);
    expect(nodes.map((n) => n.token)).toEqual(['n1', 'n2']);
    expect(nodes[0].spaces.AbsoluteZoomPositionSpace?.map((s) => s.x.max)).toEqual([1, 30]);
    expect(nodes[0]).toMatchObject({ name: 'n1', maxPresets: 300, homeSupported: true });
    expect(nodes[1].spaces).toEqual({});
  });

  it('GetConfiguration: PanTiltLimits and ZoomLimits; a range without numbers is dropped', () => {
    const conf = env(
      '<tptz:GetConfigurationResponse><tptz:PTZConfiguration token="c1"><tt:NodeToken>n1</tt:NodeToken>' +
        `<tt:PanTiltLimits><tt:Range><tt:URI>${PT}PositionGenericSpace</tt:URI><tt:XRange>${range(-1, 1)}</tt:XRange><tt:YRange>${range(-0.2, 1)}</tt:YRange></tt:Range></tt:PanTiltLimits>` +
        `<tt:ZoomLimits><tt:Range><tt:URI>${Z}PositionGenericSpace</tt:URI><tt:XRange><tt:Min>0</tt:Min><tt:Max>n/a</tt:Max></tt:XRange></tt:Range></tt:ZoomLimits>` +
        '</tptz:PTZConfiguration></tptz:GetConfigurationResponse>',
    );
    const [c] = parseConfigurations(parseSoap(conf).body);
    expect(c).toEqual({
      token: 'c1',
      nodeToken: 'n1',
      panTiltLimits: { uri: `${PT}PositionGenericSpace`, x: { min: -1, max: 1 }, y: { min: -0.2, max: 1 } },
    });
  });

  it("a media profile's PTZConfiguration (agsh GetProfiles fixture): token and node, no limits sent", () => {
    const body = parseSoap(fixture('agsh-get-profiles.xml')).body;
    const c = configurationOf(at(body, 'GetProfilesResponse', 'Profiles', 'PTZConfiguration'));
    expect(c).toEqual({ token: 'default', nodeToken: 'default' });
  });
});
